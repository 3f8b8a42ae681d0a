using System.IO.Compression;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// Zip-level defences for uploaded workbooks: declared sizes and compression ratios are checked before anything is
/// inflated (zip bombs), and the bytes actually inflated are counted while reading, since declared sizes can lie.
/// </summary>
static class XlsxPackage
{
    /// <summary>Sums the bytes actually inflated from the package and stops at the limit.</summary>
    internal sealed class InflatedBytes(long max)
    {
        long total;

        public void Add(int count)
        {
            total += count;
            if (total > max) throw TooLarge(max);
        }
    }

    static ImportFileException TooLarge(long max) => new(
        $"展開後のサイズが上限（{ImportFileException.Count(max / (1024 * 1024))} MB）を超えるため読み込みません",
        $"The workbook inflates to more than {ImportFileException.Count(max / (1024 * 1024))} MB");

    internal sealed class CountingStream(Stream inner, InflatedBytes budget) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            budget.Add(n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Zip-level checks before the Open XML SDK touches the package.</summary>
    internal static void Check(Stream stream, ReadLimits limits)
    {
        const long RatioCheckFrom = 1024 * 1024; // small XML parts legitimately compress very well
        stream.Position = 0;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.Length > limits.MaxUncompressedBytes || total > limits.MaxUncompressedBytes)
                    throw TooLarge(limits.MaxUncompressedBytes);
                if (entry.Length >= RatioCheckFrom && entry.Length / Math.Max(1, entry.CompressedLength) > limits.MaxCompressionRatio)
                    throw new ImportFileException(
                        $"圧縮率が異常に高いため読み込みません（{entry.FullName}: {ImportFileException.Count(entry.Length / Math.Max(1, entry.CompressedLength))}倍）",
                        $"Suspicious compression ratio in {entry.FullName}; the file was not read");
            }
        }
        catch (InvalidDataException) { throw XlsxReader.NotXlsx(); }
        stream.Position = 0;
    }
}
