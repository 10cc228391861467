using System.Text.Json;

namespace Receptionist.Telephony.Acs;

/// <summary>
/// One Call Automation callback event (a CloudEvent 1.0 of type <c>Microsoft.Communication.*</c>), reduced to what the
/// receptionist reads. <see cref="Name"/> is the type without its prefix ("RecognizeCompleted").
/// </summary>
public sealed record AcsCallbackEvent(
    string Id,
    string Name,
    string? CallConnectionId,
    string? OperationContext,
    int? SubCode,
    string? Message,
    string? Speech,
    double? Confidence,
    string? Digits)
{
    public const string TypePrefix = "Microsoft.Communication.";

    /// <summary>ACS's result sub-codes for a recognize that heard nothing (initial or max silence, speech not recognised,
    /// keys timed out). Any other failure means ACS could not play the question or listen.</summary>
    private static readonly HashSet<int> NothingHeard = [8510, 8509, 8563, 8532];

    public bool HeardNothing => SubCode is { } code && NothingHeard.Contains(code);

    /// <summary>Parses a callback body: a JSON array of CloudEvents (or one event). False with a reason for anything else.</summary>
    public static bool TryParseMany(ReadOnlyMemory<byte> body, out IReadOnlyList<AcsCallbackEvent> events, out string error)
    {
        events = [];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            error = $"The body is not JSON: {ex.Message}";
            return false;
        }

        using (doc)
        {
            var list = new List<AcsCallbackEvent>();
            var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [doc.RootElement];
            for (var i = 0; i < items.Count; i++)
            {
                if (!TryParse(items[i], out var ev, out var why))
                {
                    error = $"event {i}: {why}";
                    return false;
                }

                list.Add(ev);
            }

            events = list;
            error = string.Empty;
            return true;
        }
    }

    private static bool TryParse(JsonElement e, out AcsCallbackEvent ev, out string error)
    {
        ev = null!;
        if (e.ValueKind != JsonValueKind.Object)
        {
            error = "expected a CloudEvent object";
            return false;
        }

        if (Str(e, "id") is not { Length: > 0 } id)
        {
            error = "'id' is missing";
            return false;
        }

        if (Str(e, "type") is not { Length: > 0 } type)
        {
            error = "'type' is missing";
            return false;
        }

        var data = e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var result = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("resultInformation", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        string? speech = null;
        double? confidence = null;
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("speechResult", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            speech = Str(s, "speech");
            confidence = s.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null;
        }

        string? digits = null;
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("dtmfResult", out var dtmf) && dtmf.ValueKind == JsonValueKind.Object
            && dtmf.TryGetProperty("tones", out var tones) && tones.ValueKind == JsonValueKind.Array)
        {
            digits = string.Concat(tones.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? DtmfTones.KeyOf(t.GetString()!) : null)
                .Where(c => c is (>= '0' and <= '9') or '*').Select(c => c!.Value)); // the # that ended the keys is not one of them
        }

        ev = new AcsCallbackEvent(
            id,
            type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : type,
            data.ValueKind == JsonValueKind.Object ? Str(data, "callConnectionId") : null,
            data.ValueKind == JsonValueKind.Object ? Str(data, "operationContext") : null,
            result.ValueKind == JsonValueKind.Object && result.TryGetProperty("subCode", out var sc) && sc.ValueKind == JsonValueKind.Number && sc.TryGetInt32(out var sub) ? sub : null,
            result.ValueKind == JsonValueKind.Object ? Str(result, "message") : null,
            speech,
            confidence,
            digits);
        error = string.Empty;
        return true;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
