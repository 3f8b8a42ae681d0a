using System.Text.RegularExpressions;

namespace Mamori.Features.Checklists;

/// <summary>
/// The sheet's use cases used to be handlers of the sheet's own address (/o/{org}/checklists/{id}?handler=Seal); they are
/// pages of their own now (…/{id}/evidence, /signoff, /export, and /o/{org}/vendors/sheets/{id}). Addresses in
/// bookmarks, scripts and open forms keep working: before routing, such a request is served by the page that took the
/// handler over (the same response, not a redirect, so a posted form is not lost).
/// </summary>
public static partial class SheetUrls
{
    /// <summary>Old handler → the page that has it now ({0} organisation code, {1} sheet id) and its handler name there.</summary>
    static readonly Dictionary<string, (string Path, string Handler)> Moved = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Evidence"] = ("/o/{0}/checklists/{1}/evidence", "Attach"),
        ["File"] = ("/o/{0}/checklists/{1}/evidence", "File"),
        ["Seal"] = ("/o/{0}/checklists/{1}/signoff", "Seal"),
        ["Review"] = ("/o/{0}/checklists/{1}/signoff", "Review"),
        ["Sealed"] = ("/o/{0}/checklists/{1}/signoff", "Round"),
        ["Xlsx"] = ("/o/{0}/checklists/{1}/export", "Xlsx"),
        ["Print"] = ("/o/{0}/checklists/{1}/export", "Print"),
        ["Pdf"] = ("/o/{0}/checklists/{1}/export", "Pdf"),
        ["Pack"] = ("/o/{0}/checklists/{1}/export", "Pack"),
        ["Submit"] = ("/o/{0}/vendors/sheets/{1}", "Submit"),
        ["Return"] = ("/o/{0}/vendors/sheets/{1}", "Return"),
    };

    [GeneratedRegex("^/o/([^/]+)/checklists/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$")]
    private static partial Regex SheetPath();

    /// <summary>Points a request for a moved handler at its page (path and handler name; every other query value stays).</summary>
    public static void Rewrite(HttpRequest request)
    {
        if (request.Query["handler"] is not [{ } handler] || !Moved.TryGetValue(handler, out var to)) return;
        if (SheetPath().Match(request.Path.Value ?? "") is not { Success: true } m) return;
        request.Path = string.Format(System.Globalization.CultureInfo.InvariantCulture, to.Path, m.Groups[1].Value, m.Groups[2].Value);
        request.QueryString = QueryString.Create(request.Query.Where(q => q.Key != "handler")
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("handler", to.Handler)));
    }
}
