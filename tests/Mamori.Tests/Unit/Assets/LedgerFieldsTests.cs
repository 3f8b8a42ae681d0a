using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mamori.Tests.Unit.Assets;

/// <summary>The one declaration of the 機器台帳's fields (LedgerFields) and what derives from it.</summary>
public sealed class LedgerFieldsTests
{
    [Fact]
    public void Every_ledger_field_is_declared_once_and_every_declared_column_is_a_device_property()
    {
        Assert.Equal(Enum.GetValues<AssetField>().Order(), LedgerFields.All.Select(f => f.Field).Order());
        Assert.All(LedgerFields.All.Where(f => f.Field != AssetField.NetworkSegment), f => Assert.NotNull(f.Property));
        Assert.All(LedgerFields.All.Where(f => f.Search is not null || f.List is not null), f => Assert.Equal(f.Field.ToString(), f.Property?.Name));
    }

    /// <summary>
    /// The search text is a generated column: the model takes its SQL from the declaration, and the migrations must have
    /// created that column. A field added to (or removed from) the search without a migration fails here.
    /// </summary>
    [Fact]
    public void The_search_text_column_of_the_migrations_is_the_one_the_declaration_generates()
    {
        var snapshot = (ModelSnapshot)Activator.CreateInstance(
            typeof(MamoriDb).Assembly.GetType("Mamori.Platform.Data.Migrations.MamoriDbModelSnapshot")!, nonPublic: true)!;
        var column = snapshot.Model.FindEntityType(typeof(Asset).FullName!)!.FindProperty(Asset.SearchTextColumn)!;
        Assert.Equal(LedgerFields.SearchTextSql, column.GetComputedColumnSql());
        Assert.Contains("coalesce(\"MaintenanceVendor\", '')", LedgerFields.SearchTextSql);
    }

    [Fact]
    public void Labels_import_headers_export_and_list_columns_come_from_the_declaration()
    {
        Assert.Equal(("機器名", "Device name"), AssetLabels.Of(AssetField.Name));
        // A header is recognised by its label (ja or en) or a declared synonym; 最終更新日 is never a data column.
        Assert.Equal(AssetField.ComputerName, AssetColumns.Recognize("ホスト名"));
        Assert.Equal(AssetField.Name, AssetColumns.Exact("Device name"));
        Assert.Null(AssetColumns.Recognize("最終更新日"));
        // The training ledger's order in the export; the list's own order.
        Assert.Equal([AssetField.ControlNumber, AssetField.Manufacturer, AssetField.OperatingSystem], AssetLedgerExport.Columns.Take(3));
        Assert.DoesNotContain(AssetField.NetworkSegment, AssetLedgerExport.Columns);
        Assert.Equal([AssetField.ControlNumber, AssetField.Category, AssetField.Name], IndexModel.Columns.Take(3));
        Assert.Equal(AssetField.UpdatedAt, IndexModel.Columns[^1]);
        var device = new Asset { ControlNumber = "PC-1", Status = AssetStatus.Stopped, RegisteredOn = new DateOnly(2020, 12, 1) };
        Assert.Equal(("停止中", "2020/12/1"), (AssetLedgerExport.Value(device, AssetField.Status), AssetLedgerExport.Value(device, AssetField.RegisteredOn)));
        // The form: every enterable field once, the long description last.
        Assert.Equal(AssetField.Description, LedgerFields.Form[^1].Field);
        Assert.DoesNotContain(LedgerFields.Form, f => f.Field is AssetField.UpdatedAt or AssetField.UpdatedBy or AssetField.NetworkSegment);
    }
}
