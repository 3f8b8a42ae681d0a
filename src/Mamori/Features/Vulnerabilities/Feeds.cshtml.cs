using Mamori.Features.Identity;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Vulnerabilities;

/// <summary>Feed upload for the installation's system administrators (the feeds are shared by every organisation, like the catalogue).</summary>
[Requires(Permission.CatalogAdminister)]
public sealed class FeedsModel(MamoriDb db, UserManager<User> users, TimeProvider clock) : PageModel
{
    public List<VulnFeed> History { get; private set; } = [];
    public UserError? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task OnPostUploadAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0) Error = new("ファイルを選んでください。", "Choose a file.");
        else if (file.Length > FeedReaders.MaxFileBytes) Error = FeedReaders.TooLarge(file.Length).Error;
        else
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            var user = (await users.GetUserAsync(User))!;
            try
            {
                var result = await FeedImport.ImportAsync(db, buffer.ToArray(), file.FileName, $"{user.DisplayName} <{user.Email}>", clock, HttpContext.RequestAborted);
                Message = VulnCommands.Describe(result);
            }
            catch (UserErrorException e) { Error = e.Error; }
        }
        await LoadAsync();
    }

    async Task LoadAsync() =>
        History = await db.Set<VulnFeed>().AsNoTracking().OrderByDescending(f => f.ImportedAt).Take(50).ToListAsync(HttpContext.RequestAborted);
}
