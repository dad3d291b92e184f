namespace ClNet.Engine;

/// <summary>Labelled images in host memory: NHWC bytes (one per channel) and one class per image.</summary>
public sealed class ImageSet
{
    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }
    public byte[] Labels { get; }

    public ImageSet(int count, int height, int width, int channels, byte[] pixels, byte[] labels)
    {
        if (pixels.Length != (long)count * height * width * channels || labels.Length != count)
            throw new ArgumentException($"An image set of {count} images of {height}x{width}x{channels} needs {count * height * width * channels} pixel bytes and {count} labels.");
        (Count, Height, Width, Channels, Pixels, Labels) = (count, height, width, channels, pixels, labels);
    }

    public int PixelsPerImage => Height * Width;
}

/// <summary>How raw 0..255 channels become network inputs: (v/255 - mean) / std, per channel.</summary>
public sealed record ImageFormat(int Height, int Width, int Channels, float[] Mean, float[] Std)
{
    public float Normalize(byte value, int channel) => (value / 255f - Mean[channel]) / Std[channel];
}
