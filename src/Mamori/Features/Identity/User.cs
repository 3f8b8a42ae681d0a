using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Identity;

public sealed class User : IdentityUser<Guid>
{
    public User() => Id = Guid.CreateVersion7();
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    /// <summary>Time step of the last TOTP code accepted; a code is never accepted twice (replay).</summary>
    public long LastTotpTimeStep { get; set; }
    /// <summary>Organisation shown after sign-in.</summary>
    public Guid? LastOrganizationId { get; set; }
    /// <summary>Administers this Mamori installation (the shared catalogue); the first-run administrator.</summary>
    public bool IsSystemAdmin { get; set; }
    /// <summary>The language chosen with the language switch ("ja" or "en"; null: never chosen), used for e-mail.</summary>
    public string? Language { get; set; }
}
