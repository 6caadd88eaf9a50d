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
        // The last value of a repeated key wins, as in OTLP SDKs.
        var map = new List<KeyValuePair<string, AttrValue>>();
        foreach (var pair in attributes)
        {
            var existing = map.FindIndex(p => p.Key == pair.Key);
            if (existing >= 0)
            {
                map[existing] = pair;
            }
            else
            {
                map.Add(pair);
            }
        }
        _keys = map.Select(p => p.Key).ToArray();
        _values = map.Select(p => p.Value).ToArray();
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
