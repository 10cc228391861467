using System.Buffers.Binary;
using System.Text;

namespace Receptionist.Host.Tests.Telemetry;

/// <summary>One field of a protobuf message as the wire has it: varint, fixed64, length-delimited or fixed32.</summary>
public readonly record struct ProtoField(int Number, int WireType, ulong Scalar, ReadOnlyMemory<byte> Bytes)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public double AsDouble => BitConverter.Int64BitsToDouble((long)Scalar);

    public string Hex => Convert.ToHexString(Bytes.Span).ToLowerInvariant();
}

/// <summary>
/// A protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/): enough to walk any message field
/// by field. Groups (wire types 3 and 4, deprecated and unused by OTLP) are rejected.
/// </summary>
public static class ProtoWire
{
    public static IEnumerable<ProtoField> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            if (number <= 0)
            {
                throw new FormatException($"Field number {number} at byte {position}.");
            }

            switch (wire)
            {
                case ProtoField.Varint:
                    yield return new ProtoField(number, wire, ReadVarint(message.Span, ref position), default);
                    break;
                case ProtoField.Fixed64:
                    Need(message, position, 8);
                    yield return new ProtoField(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(message.Span[position..]), default);
                    position += 8;
                    break;
                case ProtoField.Fixed32:
                    Need(message, position, 4);
                    yield return new ProtoField(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(message.Span[position..]), default);
                    position += 4;
                    break;
                case ProtoField.LengthDelimited:
                    var length = checked((int)ReadVarint(message.Span, ref position));
                    Need(message, position, length);
                    yield return new ProtoField(number, wire, 0, message.Slice(position, length));
                    position += length;
                    break;
                default:
                    throw new FormatException($"Wire type {wire} (field {number}) is not supported.");
            }
        }
    }

    /// <summary>A packed repeated fixed64/double field's values.</summary>
    public static IReadOnlyList<ulong> PackedFixed64(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length % 8 != 0)
        {
            throw new FormatException("A packed fixed64 field's length is not a multiple of 8.");
        }

        var values = new ulong[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Span[(i * 8)..]);
        }

        return values;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("Truncated varint.");
            }

            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("Varint longer than 10 bytes.");
    }

    private static void Need(ReadOnlyMemory<byte> message, int position, int count)
    {
        if (count < 0 || position + count > message.Length)
        {
            throw new FormatException($"Field runs past the end of the message ({count} bytes at {position} of {message.Length}).");
        }
    }
}

public sealed record OtlpSpan(string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, object?> Attributes, IReadOnlyList<string> LinkedSpanIds)
{
    public const int KindInternal = 1;
    public const int KindServer = 2;
    public const int KindClient = 3;

    public string? Text(string key) => Attributes.TryGetValue(key, out var v) ? v as string : null;
}

public sealed record OtlpPoint(IReadOnlyDictionary<string, object?> Attributes, double? Value, ulong? Count)
{
    public override string ToString() => $"{{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}} value {Value} count {Count}";
}

public sealed record OtlpMetric(string Scope, string Name, string Unit, IReadOnlyList<OtlpPoint> Points);

public sealed record OtlpLog(string TraceId, string SpanId, int Severity, string? Body, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>
/// Decodes OTLP/HTTP protobuf export requests (opentelemetry-proto: collector/{trace,metrics,logs}/v1) into the parts
/// the tests look at, and collects every string the request carries — names, attribute keys and values (of the
/// resource, scopes, spans, events, links, data points, exemplars and log records), status messages and log bodies —
/// in <see cref="Strings"/>, so a privacy check sees everything that was exported.
/// </summary>
public sealed class OtlpDecoder
{
    private readonly List<string> _strings = [];

    public List<OtlpSpan> Spans { get; } = [];
    public List<OtlpMetric> Metrics { get; } = [];
    public List<OtlpLog> Logs { get; } = [];
    public List<Dictionary<string, object?>> Resources { get; } = [];

    public IReadOnlyList<string> Strings => _strings;

    /// <summary>ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }</summary>
    public void Traces(ReadOnlyMemory<byte> request) =>
        EachItem(request, (scope, span) => Spans.Add(Span(scope, span)), schemaUrls: true);

    /// <summary>ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }</summary>
    public void MetricsRequest(ReadOnlyMemory<byte> request) =>
        EachItem(request, (scope, metric) => Metrics.Add(Metric(scope, metric)));

    /// <summary>ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }</summary>
    public void LogsRequest(ReadOnlyMemory<byte> request) =>
        EachItem(request, (_, log) => Logs.Add(Log(log)));

    /// <summary>The shape all three requests share: repeated Resource{Spans,Metrics,Logs} { Resource resource = 1;
    /// repeated Scope{Spans,Metrics,Logs} { InstrumentationScope scope = 1; repeated items = 2; } = 2; string schema_url = 3; }.</summary>
    private void EachItem(ReadOnlyMemory<byte> request, Action<string, ReadOnlyMemory<byte>> item, bool schemaUrls = false)
    {
        foreach (var resourceItems in Repeated(request, 1))
        {
            foreach (var f in ProtoWire.Fields(resourceItems))
            {
                if (f.Number == 1)
                {
                    Resource(f.Bytes);
                }
                else if (f.Number == 2)
                {
                    var scope = string.Empty;
                    foreach (var s in ProtoWire.Fields(f.Bytes))
                    {
                        if (s.Number == 1)
                        {
                            scope = Scope(s.Bytes);
                        }
                        else if (s.Number == 2)
                        {
                            item(scope, s.Bytes);
                        }
                    }
                }
                else if (f.Number == 3 && schemaUrls)
                {
                    _strings.Add(f.Text);
                }
            }
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Repeated(ReadOnlyMemory<byte> message, int number) =>
        ProtoWire.Fields(message).Where(f => f.Number == number && f.WireType == ProtoField.LengthDelimited).Select(f => f.Bytes);

    /// <summary>Resource { repeated KeyValue attributes = 1; }</summary>
    private void Resource(ReadOnlyMemory<byte> bytes)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var f in ProtoWire.Fields(bytes).Where(f => f.Number == 1))
        {
            KeyValue(f.Bytes, attributes);
        }

        Resources.Add(attributes);
    }

    /// <summary>InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }</summary>
    private string Scope(ReadOnlyMemory<byte> bytes)
    {
        var name = string.Empty;
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1:
                    name = f.Text;
                    _strings.Add(name);
                    break;
                case 2:
                    _strings.Add(f.Text);
                    break;
                case 3:
                    KeyValue(f.Bytes, new Dictionary<string, object?>());
                    break;
            }
        }

        return name;
    }

    /// <summary>Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
    /// string name = 5; SpanKind kind = 6; repeated KeyValue attributes = 9; repeated Event events = 11;
    /// repeated Link links = 13; Status status = 15; … }</summary>
    private OtlpSpan Span(string scope, ReadOnlyMemory<byte> bytes)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
        var kind = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var links = new List<string>();
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: traceId = f.Hex; break;
                case 2: spanId = f.Hex; break;
                case 3: _strings.Add(f.Text); break;
                case 4: parent = f.Hex; break;
                case 5: name = f.Text; _strings.Add(name); break;
                case 6: kind = (int)f.Scalar; break;
                case 9: KeyValue(f.Bytes, attributes); break;
                case 11:
                    // Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
                    foreach (var e in ProtoWire.Fields(f.Bytes))
                    {
                        if (e.Number == 2)
                        {
                            _strings.Add(e.Text);
                        }
                        else if (e.Number == 3)
                        {
                            KeyValue(e.Bytes, new Dictionary<string, object?>());
                        }
                    }

                    break;
                case 13:
                    // Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; }
                    foreach (var l in ProtoWire.Fields(f.Bytes))
                    {
                        if (l.Number == 2)
                        {
                            links.Add(l.Hex);
                        }
                        else if (l.Number == 3)
                        {
                            _strings.Add(l.Text);
                        }
                        else if (l.Number == 4)
                        {
                            KeyValue(l.Bytes, new Dictionary<string, object?>());
                        }
                    }

                    break;
                case 15:
                    // Status { string message = 2; StatusCode code = 3; }
                    foreach (var st in ProtoWire.Fields(f.Bytes).Where(st => st.Number == 2))
                    {
                        _strings.Add(st.Text);
                    }

                    break;
            }
        }

        return new OtlpSpan(scope, traceId, spanId, parent, name, kind, attributes, links);
    }

    /// <summary>Metric { string name = 1; string description = 2; string unit = 3; Gauge gauge = 5; Sum sum = 7;
    /// Histogram histogram = 9; ExponentialHistogram exponential_histogram = 10; Summary summary = 11; }</summary>
    private OtlpMetric Metric(string scope, ReadOnlyMemory<byte> bytes)
    {
        string name = string.Empty, unit = string.Empty;
        var points = new List<OtlpPoint>();
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: name = f.Text; _strings.Add(name); break;
                case 2: _strings.Add(f.Text); break;
                case 3: unit = f.Text; _strings.Add(unit); break;
                case 5 or 7:
                    // Gauge / Sum { repeated NumberDataPoint data_points = 1; }
                    points.AddRange(Repeated(f.Bytes, 1).Select(NumberPoint));
                    break;
                case 9:
                    // Histogram { repeated HistogramDataPoint data_points = 1; }
                    points.AddRange(Repeated(f.Bytes, 1).Select(HistogramPoint));
                    break;
                case 10 or 11:
                    // Exponential histogram / summary points: attributes are field 1 in both.
                    points.AddRange(Repeated(f.Bytes, 1).Select(p => new OtlpPoint(Attributes(p, 1), null, null)));
                    break;
                case 12:
                    KeyValue(f.Bytes, new Dictionary<string, object?>()); // metadata
                    break;
            }
        }

        return new OtlpMetric(scope, name, unit, points);
    }

    /// <summary>NumberDataPoint { double as_double = 4; repeated Exemplar exemplars = 5; sfixed64 as_int = 6;
    /// repeated KeyValue attributes = 7; }</summary>
    private OtlpPoint NumberPoint(ReadOnlyMemory<byte> bytes)
    {
        double? value = null;
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 4: value = f.AsDouble; break;
                case 5: Exemplar(f.Bytes); break;
                case 6: value = (long)f.Scalar; break;
            }
        }

        return new OtlpPoint(Attributes(bytes, 7), value, null);
    }

    /// <summary>HistogramDataPoint { fixed64 count = 4; double sum = 5; repeated Exemplar exemplars = 8;
    /// repeated KeyValue attributes = 9; }</summary>
    private OtlpPoint HistogramPoint(ReadOnlyMemory<byte> bytes)
    {
        ulong? count = null;
        double? sum = null;
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 4: count = f.Scalar; break;
                case 5: sum = f.AsDouble; break;
                case 8: Exemplar(f.Bytes); break;
            }
        }

        return new OtlpPoint(Attributes(bytes, 9), sum, count);
    }

    /// <summary>Exemplar { repeated KeyValue filtered_attributes = 7; … }</summary>
    private void Exemplar(ReadOnlyMemory<byte> bytes) => Attributes(bytes, 7);

    /// <summary>LogRecord { SeverityNumber severity_number = 2; string severity_text = 3; AnyValue body = 5;
    /// repeated KeyValue attributes = 6; bytes trace_id = 9; bytes span_id = 10; string event_name = 12; }</summary>
    private OtlpLog Log(ReadOnlyMemory<byte> bytes)
    {
        string traceId = string.Empty, spanId = string.Empty;
        string? body = null;
        var severity = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 2: severity = (int)f.Scalar; break;
                case 3: _strings.Add(f.Text); break;
                case 5: body = AnyValue(f.Bytes)?.ToString(); break;
                case 6: KeyValue(f.Bytes, attributes); break;
                case 9: traceId = f.Hex; break;
                case 10: spanId = f.Hex; break;
                case 12: _strings.Add(f.Text); break;
            }
        }

        return new OtlpLog(traceId, spanId, severity, body, attributes);
    }

    private Dictionary<string, object?> Attributes(ReadOnlyMemory<byte> message, int number)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var kv in Repeated(message, number))
        {
            KeyValue(kv, attributes);
        }

        return attributes;
    }

    /// <summary>KeyValue { string key = 1; AnyValue value = 2; }</summary>
    private void KeyValue(ReadOnlyMemory<byte> bytes, Dictionary<string, object?> into)
    {
        var key = string.Empty;
        object? value = null;
        foreach (var f in ProtoWire.Fields(bytes))
        {
            if (f.Number == 1)
            {
                key = f.Text;
                _strings.Add(key);
            }
            else if (f.Number == 2)
            {
                value = AnyValue(f.Bytes);
            }
        }

        into[key] = value;
    }

    /// <summary>AnyValue { oneof: string_value = 1; bool_value = 2; int_value = 3; double_value = 4;
    /// ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; }</summary>
    private object? AnyValue(ReadOnlyMemory<byte> bytes)
    {
        object? value = null;
        foreach (var f in ProtoWire.Fields(bytes))
        {
            switch (f.Number)
            {
                case 1:
                    value = f.Text;
                    _strings.Add((string)value);
                    break;
                case 2: value = f.Scalar != 0; break;
                case 3: value = (long)f.Scalar; break;
                case 4: value = f.AsDouble; break;
                case 5:
                    // ArrayValue { repeated AnyValue values = 1; }
                    value = Repeated(f.Bytes, 1).Select(AnyValue).ToList();
                    break;
                case 6:
                    // KeyValueList { repeated KeyValue values = 1; }
                    var list = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var kv in Repeated(f.Bytes, 1))
                    {
                        KeyValue(kv, list);
                    }

                    value = list;
                    break;
                case 7:
                    value = f.Bytes.ToArray();
                    _strings.Add(Encoding.UTF8.GetString(f.Bytes.Span));
                    break;
            }
        }

        return value;
    }
}
