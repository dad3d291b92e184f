using System.Buffers.Binary;
using System.IO.Compression;

namespace ClNet.Engine;

/// <summary>A decoded picture: width × height pixels of 1 (gray) or 3 (RGB) bytes, rows top to bottom.</summary>
public sealed record Picture(int Width, int Height, int Channels, byte[] Pixels);

/// <summary>
/// Reads the pictures that inference takes: BMP (24- or 32-bit, uncompressed, as clnet reads them)
/// and PNG (8-bit gray, gray+alpha, RGB, RGBA or palette, not interlaced). Writes both, so that
/// tests and users can make inputs. A file that is neither is an error that names it.
/// </summary>
public static class ImageFile
{
    private static readonly byte[] PngSignature = { 137, 80, 78, 71, 13, 10, 26, 10 };

    public static Picture Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new ClNetException("ImageNotFound", ClNetErrorKind.ObjectNotFound, $"The image '{path}' does not exist.", path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClNetException("ImageUnreadable", ClNetErrorKind.InvalidData, $"The image '{path}' cannot be read: {e.Message}", path, e);
        }
        try
        {
            if (bytes.Length >= 2 && bytes[0] == 'B' && bytes[1] == 'M') return ReadBmp(bytes, path);
            if (bytes.AsSpan().StartsWith(PngSignature)) return ReadPng(bytes, path);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidDataException or EndOfStreamException)
        {
            throw Bad(path, $"it is damaged ({e.Message})");
        }
        throw Bad(path, "it is neither a BMP nor a PNG file");
    }

    private static ClNetException Bad(string path, string why) =>
        new("InvalidImage", ClNetErrorKind.InvalidData, $"The image '{path}' cannot be used: {why}.", path);

    private static Picture ReadBmp(byte[] b, string path)
    {
        int offset = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(10));
        int width = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(18));
        int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(22));
        int bits = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(28));
        int compression = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(30));
        if (bits is not (24 or 32)) throw Bad(path, $"it is a {bits}-bit BMP; 24- and 32-bit BMPs are read");
        if (compression is not (0 or 3)) throw Bad(path, "it is a compressed BMP");
        int height = Math.Abs(rawHeight), bytesPerPixel = bits / 8, stride = (width * bytesPerPixel + 3) / 4 * 4;
        if (width <= 0 || height == 0 || offset + (long)stride * height > b.Length) throw Bad(path, "its pixel data is truncated");
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int row = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;   // positive height: stored bottom-up
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                    pixels[(y * width + x) * 3 + c] = b[row + x * bytesPerPixel + 2 - c];   // BGR → RGB
        }
        return new Picture(width, height, 3, pixels);
    }

    private static Picture ReadPng(byte[] b, string path)
    {
        int pos = 8, width = 0, height = 0, colorType = -1;
        byte[]? palette = null;
        using var data = new MemoryStream();
        while (pos + 8 <= b.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(b, pos + 4, 4);
            if (length < 0 || pos + 12 + length > b.Length) throw Bad(path, $"its {type} chunk is truncated");
            var body = b.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                int depth = body[8];
                colorType = body[9];
                if (depth != 8) throw Bad(path, $"it has {depth}-bit channels; 8-bit PNGs are read");
                if (body[12] != 0) throw Bad(path, "it is interlaced");
            }
            else if (type == "PLTE") palette = body.ToArray();
            else if (type == "IDAT") data.Write(body);
            else if (type == "IEND") break;
            pos += 12 + length;
        }
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw Bad(path, $"it has PNG colour type {colorType}") };
        if (width <= 0 || height <= 0) throw Bad(path, "it has no image header");
        if (colorType == 3 && palette is null) throw Bad(path, "its palette is missing");

        data.Position = 0;
        using var inflater = new ZLibStream(data, CompressionMode.Decompress);
        int stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        inflater.ReadExactly(raw);
        var image = new byte[stride * height];
        for (int y = 0; y < height; y++) Unfilter(raw, y, stride, channels, image);

        int outChannels = colorType is 2 or 3 or 6 ? 3 : 1;
        var pixels = new byte[width * height * outChannels];
        for (int i = 0; i < width * height; i++)
            for (int c = 0; c < outChannels; c++)
                pixels[i * outChannels + c] = colorType == 3 ? palette![image[i] * 3 + c] : image[i * channels + c];   // alpha is dropped
        return new Picture(width, height, outChannels, pixels);
    }

    /// <summary>Undoes PNG's per-row filter (none, sub, up, average, Paeth) into row y of image.</summary>
    private static void Unfilter(byte[] raw, int y, int stride, int bpp, byte[] image)
    {
        int filter = raw[y * (stride + 1)];
        if (filter > 4) throw new InvalidDataException($"unknown PNG filter {filter} in row {y}");
        for (int x = 0; x < stride; x++)
        {
            int value = raw[y * (stride + 1) + 1 + x];
            int left = x >= bpp ? image[y * stride + x - bpp] : 0;
            int up = y > 0 ? image[(y - 1) * stride + x] : 0;
            int upLeft = x >= bpp && y > 0 ? image[(y - 1) * stride + x - bpp] : 0;
            int predictor = filter switch
            {
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => 0,
            };
            image[y * stride + x] = (byte)(value + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Writes a 24-bit BMP (bottom-up, rows padded to 4 bytes), the format of clnet's digit pictures.</summary>
    public static void WriteBmp(string path, Picture picture)
    {
        int stride = (picture.Width * 3 + 3) / 4 * 4, size = 54 + stride * picture.Height;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), picture.Width);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), picture.Height);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        for (int y = 0; y < picture.Height; y++)
            for (int x = 0; x < picture.Width; x++)
                for (int c = 0; c < 3; c++)
                    b[54 + (picture.Height - 1 - y) * stride + x * 3 + 2 - c] = Channel(picture, x, y, c);
        File.WriteAllBytes(path, b);
    }

    /// <summary>Writes an 8-bit PNG (gray or RGB) with the Paeth filter on every row.</summary>
    public static void WritePng(string path, Picture picture)
    {
        int channels = picture.Channels == 1 ? 1 : 3, stride = picture.Width * channels;
        var image = new byte[stride * picture.Height];
        for (int y = 0; y < picture.Height; y++)
            for (int x = 0; x < picture.Width; x++)
                for (int c = 0; c < channels; c++) image[y * stride + x * channels + c] = Channel(picture, x, y, c);
        var raw = new byte[(stride + 1) * picture.Height];
        for (int y = 0; y < picture.Height; y++)
        {
            raw[y * (stride + 1)] = 4;
            for (int x = 0; x < stride; x++)
            {
                int left = x >= channels ? image[y * stride + x - channels] : 0, up = y > 0 ? image[(y - 1) * stride + x] : 0;
                int upLeft = x >= channels && y > 0 ? image[(y - 1) * stride + x - channels] : 0;
                raw[y * (stride + 1) + 1 + x] = (byte)(image[y * stride + x] - Paeth(left, up, upLeft));
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, picture.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), picture.Height);
        header[8] = 8;
        header[9] = (byte)(channels == 1 ? 0 : 2);
        using var file = new MemoryStream();
        file.Write(PngSignature);
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", compressed.ToArray());
        WriteChunk(file, "IEND", Array.Empty<byte>());
        File.WriteAllBytes(path, file.ToArray());
    }

    private static byte Channel(Picture p, int x, int y, int c) => p.Pixels[(y * p.Width + x) * p.Channels + Math.Min(c, p.Channels - 1)];

    private static void WriteChunk(Stream s, string type, byte[] body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
        s.Write(word);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(body).ToArray();
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        s.Write(word);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte d in data)
        {
            crc ^= d;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
