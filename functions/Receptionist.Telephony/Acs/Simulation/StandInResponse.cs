using System.Net;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>What the stand-in answers a REST request with; kept whole so that a repeated Repeatability-Request-ID
/// gets exactly the first answer again.</summary>
internal sealed record StandInResponse(HttpStatusCode Status, JsonNode? Body = null)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>An error in ACS's shape, <c>{"error":{"code","message","target"?}}</c>.</summary>
    public static StandInResponse Error(HttpStatusCode status, string code, string message, string? target = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (target is not null)
        {
            error["target"] = target;
        }

        return new StandInResponse(status, new JsonObject { ["error"] = error });
    }

    public static StandInResponse BadRequest(string message, string? target = null) => Error(HttpStatusCode.BadRequest, "BadRequest", message, target);

    /// <summary>ACS's 8522: the call connection is unknown, or has ended.</summary>
    public static StandInResponse CallNotFound(string message) => Error(HttpStatusCode.NotFound, "8522", message);
}

/// <summary>A request body that is not what the operation takes; becomes a 400 naming the field.</summary>
internal sealed class StandInBadRequestException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}
