using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Tests;

public sealed class ValueTextTests
{
    [Theory]
    [InlineData(1000.0, "1000")]
    [InlineData(0.5, "0.5")]
    [InlineData(1.5, "1.5")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1e-7, "0.0000001")]
    [InlineData(-0.0, "-0")]
    [InlineData(9223372036854775807.0, "9223372036854776000")]
    [InlineData(1.2345e-20, "0.000000000000000000012345")]
    [InlineData(-2.5e3, "-2500")]
    public void Doubles_are_written_positionally_with_the_shortest_digits(double value, string text) =>
        Assert.Equal(text, NumberText.Format(value));

    [Theory]
    [InlineData("5000", true)]
    [InlineData("+5000", true)]
    [InlineData("5E3", true)]
    [InlineData("-0.5", true)]
    [InlineData("1e-400", true)]
    [InlineData("1e400", false)]
    [InlineData(" 5", false)]
    [InlineData("5.", false)]
    [InlineData(".5", false)]
    [InlineData("1_000", false)]
    [InlineData("NaN", false)]
    [InlineData("Infinity", false)]
    [InlineData("\u0663", false)]
    public void Numeric_strings_have_the_plain_decimal_form(string text, bool numeric) =>
        Assert.Equal(numeric, NumericText.TryParse(text, out _));

    [Fact]
    public void Text_order_is_code_point_order()
    {
        Assert.True(TextOrder.Compare("\uFFFD", "\U0001F600") < 0);
        Assert.True(string.CompareOrdinal("\uFFFD", "\U0001F600") > 0);
        Assert.True(TextOrder.Compare("a", "ab") < 0);
        Assert.Equal(0, TextOrder.Compare("x", "x"));
    }
}
