using Mamori.Features.Identity;
using Mamori.Platform.Web;

namespace Mamori.Tests.Unit;

public sealed class CommonPasswordTests
{
    static readonly CommonPasswords Common = new();

    [Fact]
    public void The_shipped_list_holds_over_100000_common_passwords_compared_without_case()
    {
        Assert.True(Common.Count > 100_000, $"{Common.Count} entries");
        Assert.True(Common.Contains("password12345"));
        Assert.True(Common.Contains("PassWord12345"));
        Assert.False(Common.Contains("correct-horse-42-battery"));
    }

    [Theory]
    [InlineData("password12345", "ichiro@sakura.example", "さくら病院", "sakura-hp")]       // common
    [InlineData("ichiro-2026-spring", "ichiro@sakura.example", "さくら病院", "sakura-hp")]  // the e-mail's local part
    [InlineData("Sakura-HP-2026-spring", "ichiro@sakura.example", "さくら病院", "sakura-hp")] // the organisation code
    [InlineData("さくら病院のパスワード1", "ichiro@sakura.example", "さくら 病院", "sakura-hp")] // the name, spaces aside
    public void Common_passwords_and_the_persons_own_words_are_refused(string password, string email, string name, string code) =>
        Assert.NotEmpty(PasswordPolicy.CheckWords(password, Common, [email, name, code]));

    [Fact]
    public void A_password_of_the_persons_own_making_passes() =>
        Assert.Empty(PasswordPolicy.CheckWords("correct-horse-42-battery", Common, ["ichiro@sakura.example", "さくら病院", "sakura-hp"]));

    [Fact]
    public void A_password_of_one_repeated_letter_is_refused() =>
        Assert.Contains(PasswordPolicy.Check("aaaaaaaaaaaa1", true), m => m.Contains("5 種類以上"));

    [Theory]
    [InlineData("/o/sakura/assets", "/o/sakura/assets")]
    [InlineData("/o/sakura\t", "/")]
    [InlineData("/o/sakura\u3000", "/")]
    [InlineData("/o/sakura\r\nSet-Cookie: a=b", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/検索?q=シス14", "/%E6%A4%9C%E7%B4%A2?q=%E3%82%B7%E3%82%B914")]
    public void Return_urls_are_local_paths_safe_for_a_location_header(string url, string expected) =>
        Assert.Equal(expected, LoginModel.SafeReturn(url));

    [Fact]
    public void Capped_text_keeps_its_start_and_drops_control_characters()
    {
        Assert.Equal(InputLimits.Email + 1, InputLimits.Cap(new string('a', 4_000_000), InputLimits.Email)!.Length);
        Assert.Equal("ab", InputLimits.Cap("a\0b", 10));
        Assert.Null(InputLimits.Cap(null, 10));
    }
}
