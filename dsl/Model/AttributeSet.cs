namespace BeTrace.Dsl.Model;

/// <summary>
/// An immutable key → value map kept as two parallel arrays: spans carry a handful of attributes,
/// where a linear ordinal scan beats hashing and costs less memory than a dictionary.
/// </summary>
public sealed class AttributeSet
{
    private readonly string[] _keys;
    private readonly AttrValue[] _values;

    public AttributeSet(IEnumerable<KeyValuePair<string, AttrValue>> attributes)
    {
        // Built once per span per evaluation, so no LINQ: collect, then let a repeated key's last value win
        // (as OTLP SDKs do) by overwriting in place.
        var keys = new List<string>();
        var values = new List<AttrValue>();
        foreach (var (key, value) in attributes)
        {
            var existing = keys.IndexOf(key);
            if (existing >= 0)
            {
                values[existing] = value;
            }
            else
            {
                keys.Add(key);
                values.Add(value);
            }
        }
        _keys = [.. keys];
        _values = [.. values];
    }

    public static AttributeSet Empty { get; } = new([]);

    public int Count => _keys.Length;

    public IEnumerable<KeyValuePair<string, AttrValue>> Pairs =>
        _keys.Select((key, i) => new KeyValuePair<string, AttrValue>(key, _values[i]));

    public AttrValue? Get(string key)
    {
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return _values[i];
            }
        }
        return null;
    }
}
