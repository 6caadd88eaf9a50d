using System.Globalization;
using System.Text.Json;
using BeTrace.Dsl.Model;

namespace BeTrace.Dsl.Traces;

/// <summary>
/// Types plain JSON values as attributes (dsl.md section 10): integers and doubles are told apart by the
/// JSON text of the number, not by its value; <c>null</c> means the attribute is absent.
/// </summary>
public static class JsonAttributeReader
{
    public static AttributeSet ReadObject(JsonElement element, string where)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return AttributeSet.Empty;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TraceFormatException($"{where} must be an object, found {element.ValueKind}");
        }
        var pairs = new List<KeyValuePair<string, AttrValue>>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            pairs.Add(new(property.Name, ReadValue(property.Value, $"{where}.{property.Name}")));
        }
        return new AttributeSet(pairs);
    }

    public static AttrValue ReadValue(JsonElement value, string where)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return AttrValue.FromString(value.GetString()!);
            case JsonValueKind.True:
                return AttrValue.FromBool(true);
            case JsonValueKind.False:
                return AttrValue.FromBool(false);
            case JsonValueKind.Null:
                return AttrValue.Null;
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") < 0
                    && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return AttrValue.FromInt(integer);
                }
                return AttrValue.FromDouble(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
            case JsonValueKind.Array:
                var items = new List<AttrValue>();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    items.Add(ReadValue(item, $"{where}[{index++}]"));
                }
                return AttrValue.FromArray(items);
            default:
                throw new TraceFormatException($"{where}: objects are not supported as attribute values");
        }
    }
}
