using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Tests.Support;
using BeTrace.Grains.Interfaces.Spans;
using Google.Protobuf;

namespace BeTrace.Gateway.Tests.Conversion;

public sealed class AnyValueConverterTests
{
    [Fact]
    public void Scalars_convert_to_their_wire_kind()
    {
        Assert.Equal(WireValue.Of("x"), AnyValueConverter.Value(new AnyValue { StringValue = "x" }));
        Assert.Equal(WireValue.Of(true), AnyValueConverter.Value(new AnyValue { BoolValue = true }));
        Assert.Equal(WireValue.Of(long.MinValue), AnyValueConverter.Value(new AnyValue { IntValue = long.MinValue }));
        Assert.Equal(WireValue.Of(2.5), AnyValueConverter.Value(new AnyValue { DoubleValue = 2.5 }));
        Assert.Equal(WireValue.Empty, AnyValueConverter.Value(new AnyValue()));
        Assert.Equal(WireValue.Empty, AnyValueConverter.Value(null));
    }

    [Fact]
    public void Bytes_become_a_base64_string()
    {
        var value = AnyValueConverter.Value(new AnyValue { BytesValue = ByteString.CopyFrom(1, 2, 255) });

        Assert.Equal(WireValueKind.String, value.Kind);
        Assert.Equal("AQL/", value.Text);
    }

    [Fact]
    public void Nested_arrays_are_kept_and_a_kvlist_inside_one_becomes_empty()
    {
        var inner = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { IntValue = 1 }, new AnyValue { StringValue = "two" } } } };
        var kvlist = new AnyValue { KvlistValue = new KeyValueList { Values = { TestData.Attribute("k", "v") } } };
        var outer = new AnyValue { ArrayValue = new ArrayValue { Values = { inner, kvlist, new AnyValue { BoolValue = false } } } };

        var value = AnyValueConverter.Value(outer);

        Assert.Equal(WireValueKind.Array, value.Kind);
        Assert.Equal(3, value.Items!.Length);
        Assert.Equal([WireValue.Of(1), WireValue.Of("two")], value.Items[0].Items!);
        Assert.Equal(WireValue.Empty, value.Items[1]);
        Assert.Equal(WireValue.Of(false), value.Items[2]);
    }

    [Fact]
    public void A_kvlist_attribute_is_dropped_and_its_neighbours_kept()
    {
        var attributes = new Google.Protobuf.Collections.RepeatedField<KeyValue>
        {
            TestData.Attribute("before", "1"),
            new KeyValue { Key = "map", Value = new AnyValue { KvlistValue = new KeyValueList { Values = { TestData.Attribute("k", "v") } } } },
            TestData.Attribute("after", 2),
        };

        var wire = AnyValueConverter.Attributes(attributes);

        Assert.Equal(["before", "after"], wire.Select(a => a.Key));
        Assert.Equal(WireValue.Of(2), wire[1].Value);
    }
}
