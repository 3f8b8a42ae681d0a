using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Mamori.Platform.Web;

/// <summary>
/// Uploaded file names come from the browser as typed (or as forged): control characters such as NUL, which PostgreSQL
/// cannot store in text, are removed from every uploaded file's name before any handler sees it, and names are cut to
/// 255 characters. One page filter for all upload forms; the file's content is not touched (or read) here.
/// </summary>
public sealed class UploadNames : IPageFilter
{
    const int MaxLength = 255;

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        foreach (var (key, value) in context.HandlerArguments.ToList())
            if (value is IFormFile file && Clean(file) is { } cleaned) context.HandlerArguments[key] = cleaned;
        foreach (var property in context.HandlerInstance.GetType().GetProperties())
            if (property.PropertyType == typeof(IFormFile) && property.CanWrite && property.GetValue(context.HandlerInstance) is IFormFile file
                && Clean(file) is { } cleaned)
                property.SetValue(context.HandlerInstance, cleaned);
    }

    /// <summary>The same upload under a clean name, or null when the name is fine already.</summary>
    static FormFile? Clean(IFormFile file)
    {
        var name = file.FileName ?? "";
        if (name.Length <= MaxLength && !name.Any(char.IsControl)) return null;
        var clean = InputLimits.Cap(name, MaxLength)!.TrimEnd('…');
        return new FormFile(file.OpenReadStream(), 0, file.Length, file.Name, clean)
        {
            Headers = file.Headers, ContentType = file.ContentType,
        };
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }
    public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }
}
