using BeTrace.Gateway.Otlp.Common;
using BeTrace.Grains.Interfaces.Spans;
using Google.Protobuf.Collections;

namespace BeTrace.Gateway.Conversion;

/// <summary>
/// OTLP AnyValue to <see cref="WireValue"/>: string, bool, int, double and (nested) arrays as they are; bytes as a
/// base64 string; a key/value list has no wire form, so an attribute holding one is dropped (inside an array it
/// becomes an empty value, so positions are kept); an unset value is an empty value.
/// </summary>
public static class AnyValueConverter
{
    public static WireAttribute[] Attributes(RepeatedField<KeyValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            return [];
        }

        var result = new List<WireAttribute>(attributes.Count);
        foreach (var attribute in attributes)
        {
            if (attribute.Value?.ValueCase == AnyValue.ValueOneofCase.KvlistValue)
            {
                continue;
            }

            result.Add(new WireAttribute(attribute.Key, Value(attribute.Value)));
        }

        return [.. result];
    }

    public static WireValue Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => WireValue.Of(value.StringValue),
        AnyValue.ValueOneofCase.BoolValue => WireValue.Of(value.BoolValue),
        AnyValue.ValueOneofCase.IntValue => WireValue.Of(value.IntValue),
        AnyValue.ValueOneofCase.DoubleValue => WireValue.Of(value.DoubleValue),
        AnyValue.ValueOneofCase.BytesValue => WireValue.Of(Convert.ToBase64String(value.BytesValue.Span)),
        AnyValue.ValueOneofCase.ArrayValue => WireValue.Of([.. value.ArrayValue.Values.Select(Value)]),
        _ => WireValue.Empty,
    };
}
