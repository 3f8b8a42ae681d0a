using System.Net;
using System.Text;

namespace Mamori.Platform.Mail;

/// <summary>The language a recipient reads: the one their account uses, or for an address Mamori does not know, Japanese then English.</summary>
public enum MailLanguage
{
    JapaneseThenEnglish,
    Japanese,
    English,
}

/// <summary>
/// A mail's words, each paragraph written as a Japanese/English pair (as the pages do), rendered as plain text and
/// as HTML. Everything is HTML-escaped, so names and comments people typed cannot become markup.
/// </summary>
public sealed class MailContent(string subjectJa, string subjectEn)
{
    enum Kind { Paragraph, Link, Quote }
    readonly List<(Kind Kind, string Ja, string En)> blocks = [];

    public MailContent Paragraph(string ja, string en) { blocks.Add((Kind.Paragraph, ja, en)); return this; }
    public MailContent Link(string url) { blocks.Add((Kind.Link, url, url)); return this; }
    /// <summary>Text someone wrote (a request's message, a return comment), shown as it was written.</summary>
    public MailContent Quote(string text) { blocks.Add((Kind.Quote, text, text)); return this; }

    public static MailLanguage LanguageOf(string? userLanguage) => userLanguage switch
    {
        "en" => MailLanguage.English,
        "ja" => MailLanguage.Japanese,
        _ => MailLanguage.JapaneseThenEnglish,
    };

    public (string Subject, string Text, string Html) Render(MailLanguage language)
    {
        var subject = OneLine(language == MailLanguage.English ? "[Mamori] " + subjectEn : "【Mamori】" + subjectJa);
        var parts = language switch
        {
            MailLanguage.Japanese => [false],
            MailLanguage.English => [true],
            _ => new[] { false, true },
        };
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"").Append(language == MailLanguage.English ? "en" : "ja")
            .Append("\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif;line-height:1.6\">\n");
        foreach (var english in parts)
        {
            if (english && parts.Length > 1)
            {
                text.Append("――――――――――\n(English)\n\n");
                html.Append("<hr>\n<p lang=\"en\">(English)</p>\n");
            }
            foreach (var (kind, ja, en) in blocks)
            {
                var words = english ? en : ja;
                var encoded = WebUtility.HtmlEncode(words).Replace("\n", "<br>");
                text.Append(kind == Kind.Quote ? "> " + words.Replace("\n", "\n> ") : words).Append("\n\n");
                html.Append(kind switch
                {
                    Kind.Link => $"<p><a href=\"{encoded}\">{encoded}</a></p>\n",
                    Kind.Quote => $"<blockquote style=\"border-left:3px solid #ccc;margin:0 0 1em;padding-left:1em\">{encoded}</blockquote>\n",
                    _ => $"<p>{encoded}</p>\n",
                });
            }
        }
        var footer = language == MailLanguage.English
            ? "This message was sent by Mamori. Please do not reply to it."
            : "このメールは Mamori から自動で送信しています。返信はできません。";
        text.Append("--\n").Append(footer).Append('\n');
        html.Append("<p style=\"color:#666;font-size:small\">").Append(WebUtility.HtmlEncode(footer)).Append("</p>\n</body></html>\n");
        return (subject, text.ToString(), html.ToString());
    }

    static string OneLine(string s) => new(s.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
