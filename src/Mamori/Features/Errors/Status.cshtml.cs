using Mamori.Features.Organizations;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Errors;

[Public, IgnoreAntiforgeryToken]
public sealed class StatusModel(Text t) : PageModel
{
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";

    // No bound parameters: a re-executed POST may carry a form whose antiforgery token failed, and reading it would throw again.
    public void OnGet() => Describe(Code);
    public void OnPost() => Describe(Code);

    int Code => int.TryParse(RouteData.Values["code"]?.ToString(), out var c) ? c : 500;

    void Describe(int code)
    {
        (Title, Message) = code switch
        {
            400 => (t["送信内容を処理できませんでした", "The request could not be processed"],
                t["フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてからもう一度お試しください。", "The form expired or was not valid. Reload the page and try again."]),
            403 => (t["この操作の権限がありません", "You do not have permission"],
                t["この画面はご自身の役割では使えません。必要な場合は組織の管理者に依頼してください。", "Your role cannot use this page. Ask your organisation's administrator."]),
            429 => (t["操作が多すぎます", "Too many requests"],
                t["短い時間に同じ操作が続いたため、一時的に受付を止めています。1 分ほど待ってから、もう一度お試しください。", "Too many attempts in a short time. Please wait about a minute and try again."]),
            404 => (t["ページが見つかりません", "Page not found"],
                t["URL が間違っているか、閲覧できる組織のページではありません。", "The address is wrong, or it belongs to an organisation you cannot see."]),
            _ => (t["エラーが発生しました", "Something went wrong"],
                t["処理中に問題が発生しました。入力内容は保存されていない可能性があります。時間をおいて再度お試しください。", "An error occurred; your input may not have been saved. Please try again later."]),
        };
        if (code is >= 400 and < 600 && HttpContext.Response.StatusCode == 200) HttpContext.Response.StatusCode = code;
    }
}
