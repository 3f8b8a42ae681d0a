using Microsoft.AspNetCore.Localization;

namespace Mamori.Platform.Web;

public static class Language
{
    public const string CookieName = "mamori-lang";

    /// <summary>"en" or "ja": anything else is Japanese.</summary>
    public static string Code(string? language) => language == "en" ? "en" : "ja";

    public static void Set(HttpResponse response, string language)
    {
        var culture = language == "en" ? "en" : "ja-JP";
        response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = response.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
    }
}
