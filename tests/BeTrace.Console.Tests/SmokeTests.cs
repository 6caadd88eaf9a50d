namespace BeTrace.Console.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Placeholder_is_replaced_by_real_tests() => Assert.True(File.Exists(typeof(BetraceCli).Assembly.Location));
}
