using Mamori.Features.Assets.Import;
using Mamori.Features.Audit;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Reports;
using Microsoft.Extensions.Configuration;

namespace Mamori.Tests.Unit;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("abcdefgh1234", false, false)]   // 12 characters, no second factor: too short
    [InlineData("abcdefgh12345", false, true)]   // 13 characters
    [InlineData("abcdef12", true, true)]         // 8 with a second factor
    [InlineData("abcde12", true, false)]
    [InlineData("abcdefghijklmn", true, false)]  // no digit
    [InlineData("12345678901234", false, false)] // no letter
    public void Guideline_7_0_password_lengths_depend_on_the_second_factor(string password, bool hasSecondFactor, bool accepted) =>
        Assert.Equal(accepted, !PasswordPolicy.Check(password, hasSecondFactor).Any());

    [Fact]
    public void The_message_for_a_short_password_names_the_rule_in_japanese() =>
        Assert.Contains("13 文字以上", PasswordPolicy.Check("short1", false).First());
}

public sealed class TotpTests
{
    [Fact]
    public void Matches_the_rfc_6238_test_vector()
    {
        // RFC 6238 Appendix B: key "12345678901234567890", T = 59 s → 94287082 (8 digits) → 287082 (6 digits).
        var key = System.Text.Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal("287082", Totp.Code(key, 59 / 30));
        Assert.Equal("081804", Totp.Code(key, 1111111109 / 30));
    }

    [Fact]
    public void Base32_decodes_with_spaces_and_lower_case() =>
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes("foobar"), Totp.FromBase32("mzxw 6ytb oi======"));
}

public sealed class AuditEntryHashTests
{
    static AuditEntry Entry() => new()
    {
        Seq = 7, OccurredAt = AuditEntry.Truncate(new DateTime(2026, 11, 21, 1, 2, 3, DateTimeKind.Utc).AddTicks(1234567)),
        ActorName = "佐藤", Action = AuditActions.Update, Details = "{\"Name\":[\"a\",\"b\"]}", PrevHash = AuditEntry.GenesisHash, Hash = "",
    };

    [Fact]
    public void Timestamps_are_truncated_to_postgresql_microseconds() =>
        Assert.Equal(0, Entry().OccurredAt.Ticks % 10);

    static AuditKey Key(char c) => AuditKey.Load(new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?> { [AuditKey.Setting] = new string(c, 64), ["MAMORI_DATA"] = Path.GetTempPath() }).Build());

    [Fact]
    public void Any_changed_field_changes_the_hash()
    {
        var key = Key('a');
        var original = Entry().ComputeHash(key);
        Assert.Equal(original, Entry().ComputeHash(key));
        var e = Entry(); e.Details = "{\"Name\":[\"a\",\"c\"]}"; Assert.NotEqual(original, e.ComputeHash(key));
        e = Entry(); e.ActorName = "鈴木"; Assert.NotEqual(original, e.ComputeHash(key));
        e = Entry(); e.PrevHash = new string('1', 64); Assert.NotEqual(original, e.ComputeHash(key));
        e = Entry(); e.OccurredAt = e.OccurredAt.AddTicks(10); Assert.NotEqual(original, e.ComputeHash(key));
        e = Entry(); e.ChainId = Guid.NewGuid(); Assert.NotEqual(original, e.ComputeHash(key));
        // Keyed: without the key the hash cannot be recomputed; the old unkeyed form is plain SHA-256 and key-independent.
        Assert.NotEqual(original, Entry().ComputeHash(Key('b')));
        e = Entry(); e.HashVersion = AuditEntry.Unkeyed;
        Assert.Equal(e.ComputeHash(key), e.ComputeHash(Key('b')));
        Assert.NotEqual(original, e.ComputeHash(key));
    }

    static AuditKey FromFolder(string folder) => AuditKey.Load(new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?> { [AuditKey.Setting] = "", ["MAMORI_DATA"] = folder }).Build());

    [Fact]
    public void The_key_file_is_created_once_readable_only_by_its_owner()
    {
        var folder = Directory.CreateTempSubdirectory("mamori-key-").FullName;
        try
        {
            var first = FromFolder(folder);
            var file = Path.Combine(folder, AuditKey.FileName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Matches("^[0-9a-f]{64}\n$", File.ReadAllText(file));
            File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100); // someone opened it up
            var again = FromFolder(folder);
            Assert.Equal(first.MacEntry("x"), again.MacEntry("x")); // the same key, not a new one
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void A_configured_key_that_is_too_short_is_refused_in_japanese()
    {
        var e = Assert.Throws<Mamori.Platform.Hosting.MamoriStartupException>(() => AuditKey.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [AuditKey.Setting] = "abcd", ["MAMORI_DATA"] = Path.GetTempPath() }).Build()));
        Assert.Contains("MAMORI_AUDIT_KEY の値が監査ログの鍵として使えません", e.Japanese);
    }
}

public sealed class SpreadsheetSafeTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+81-3", "'+81-3")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("＝HYPERLINK()", "'＝HYPERLINK()")]
    [InlineData("病院", "病院")]
    public void Cells_never_start_a_formula(string value, string expected) => Assert.Equal(expected, SpreadsheetSafe.Escape(value));

    /// <summary>An exported ledger is re-imported as it is: no cell may leave unescaped that the import refuses as a formula.</summary>
    [Fact]
    public void Every_start_the_import_treats_as_a_formula_is_escaped()
    {
        foreach (var start in AssetImportReader.FormulaStarts)
        {
            var cell = start + "HYPERLINK(1)";
            Assert.True(AssetImportReader.LooksLikeFormula(cell) || start is '\u2260', $"U+{(int)start:X4}");
            Assert.Equal("'" + cell, SpreadsheetSafe.Escape(cell));
        }
    }

    [Fact]
    public void Csv_quotes_commas_and_quotes_and_starts_with_a_bom()
    {
        var bytes = SpreadsheetSafe.Csv([["a,b", "say \"hi\"", "=cmd"]]);
        Assert.Equal("\uFEFF\"a,b\",\"say \"\"hi\"\"\",'=cmd\r\n", System.Text.Encoding.UTF8.GetString(bytes));
    }
}

public sealed class OrganizationInputTests
{
    [Fact]
    public void Full_width_digits_of_a_medical_institution_code_become_half_width() =>
        Assert.Equal("1312345678", OrganizationInput.ToHalfWidthDigits("１３１２３４５６７８"));
}
