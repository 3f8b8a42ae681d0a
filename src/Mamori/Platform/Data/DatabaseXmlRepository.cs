using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Mamori.Platform.Data;

/// <summary>Keeps ASP.NET Core Data Protection keys in PostgreSQL (cookies survive restarts and backups restore them).</summary>
public sealed class DatabaseXmlRepository(IServiceProvider services) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
        return db.DataProtectionKeys.AsEnumerable().Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
