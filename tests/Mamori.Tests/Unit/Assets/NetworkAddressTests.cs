using Mamori.Features.Assets;

namespace Mamori.Tests.Unit.Assets;

public sealed class NetworkAddressTests
{
    [Theory]
    [InlineData("192.168.1.10", "192.168.1.10")]
    [InlineData("192.168.001.010", "192.168.1.10")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData(" 10.0.0.1 ", "10.0.0.1")]
    [InlineData("１０.０.０.１", "10.0.0.1")]
    [InlineData("fe80::1", "fe80::1")]
    public void Addresses_are_normalised(string text, string expected)
    {
        Assert.True(IpAddressText.TryNormalize(text, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1234.1.1.1")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.")]
    [InlineData("010")]
    [InlineData("pc-01")]
    public void Other_text_is_not_an_address(string text) => Assert.False(IpAddressText.TryNormalize(text, out _));
}
