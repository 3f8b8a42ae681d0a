using Mamori.Features.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

public sealed class JapaneseDateTests
{
    [Theory]
    [InlineData("令和2年12月1日", 2020, 12, 1)]
    [InlineData("R2.12.1", 2020, 12, 1)]
    [InlineData("r2/12/1", 2020, 12, 1)]
    [InlineData("H30/4/1", 2018, 4, 1)]
    [InlineData("平成30年4月1日", 2018, 4, 1)]
    [InlineData("S64.1.7", 1989, 1, 7)]
    [InlineData("令和元年5月1日", 2019, 5, 1)]
    [InlineData("平成31年4月30日", 2019, 4, 30)]
    [InlineData("2020/12/1", 2020, 12, 1)]
    [InlineData("2020-12-01", 2020, 12, 1)]
    [InlineData("2020年12月1日", 2020, 12, 1)]
    [InlineData("20201201", 2020, 12, 1)]
    [InlineData("２０２０／１２／１", 2020, 12, 1)]
    [InlineData("令和２年１２月１日", 2020, 12, 1)]
    [InlineData("2020/12/1 0:00", 2020, 12, 1)]
    [InlineData(" 2024.7.1 ", 2024, 7, 1)]
    public void Reads_each_style(string text, int year, int month, int day)
    {
        Assert.True(JapaneseDate.TryParse(text, out var date, out var error), error);
        Assert.Equal(new DateOnly(year, month, day), date);
        Assert.Null(error);
    }

    [Fact]
    public void An_impossible_date_is_named_in_the_message()
    {
        Assert.False(JapaneseDate.TryParse("令和2年2月30日", out _, out var error));
        Assert.Equal("令和2年2月30日 は存在しない日付です", error);
        Assert.False(JapaneseDate.TryParse("2023/2/29", out _, out error));
        Assert.Equal("2023/2/29 は存在しない日付です", error);
    }

    [Theory]
    [InlineData("令和1年4月30日", "令和は2019年5月1日から")]
    [InlineData("R1.1.1", "令和は2019年5月1日から")]
    public void Dates_before_their_era_began_are_rejected(string text, string reason)
    {
        Assert.False(JapaneseDate.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("H31.9.14", 2019, 9, 14)]
    [InlineData("平成31年5月1日", 2019, 5, 1)]
    [InlineData("H32.1.14", 2020, 1, 14)] // Windows 7 のサポート終了日, as written before 令和 was announced
    [InlineData("S64.1.8", 1989, 1, 8)]
    public void A_date_past_its_era_s_end_is_read_on_with_a_warning(string text, int year, int month, int day)
    {
        Assert.True(JapaneseDate.TryParse(text, false, out var date, out var error, out var warning), error);
        Assert.Equal(new DateOnly(year, month, day), date);
        Assert.Contains($"の終わり（", warning);
        Assert.EndsWith($"より後の日付のため、{year}年{month}月{day}日として読みました", warning);
        // Inside the era there is nothing to say.
        Assert.True(JapaneseDate.TryParse("平成31年4月30日", false, out _, out _, out warning));
        Assert.Null(warning);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("20/12/1")]
    [InlineData("44166")]
    public void Unreadable_text_is_rejected(string text)
    {
        Assert.False(JapaneseDate.TryParse(text, out _, out var error));
        Assert.StartsWith($"「{text}」は日付として読めません", error);
    }

    [Fact]
    public void An_excel_serial_is_read_only_from_a_number_cell()
    {
        Assert.True(JapaneseDate.TryParse("44166", fromExcelNumber: true, out var date, out _));
        Assert.Equal(new DateOnly(2020, 12, 1), date);
        Assert.True(JapaneseDate.TryParse("20201201", fromExcelNumber: true, out date, out _)); // too large for a serial
        Assert.Equal(new DateOnly(2020, 12, 1), date);
    }

    [Theory]
    [InlineData(1, false, 1900, 1, 1)]
    [InlineData(59, false, 1900, 2, 28)]
    [InlineData(61, false, 1900, 3, 1)]
    [InlineData(44166.75, false, 2020, 12, 1)]
    [InlineData(42704, true, 2020, 12, 1)]
    public void Excel_serials_follow_excel(double serial, bool date1904, int year, int month, int day)
    {
        Assert.True(JapaneseDate.TryFromExcelSerial(serial, date1904, out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Fact]
    public void Excel_s_phantom_1900_02_29_is_not_a_date() => Assert.False(JapaneseDate.TryFromExcelSerial(60, false, out _));
}
