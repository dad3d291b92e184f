namespace ClNet.Engine;

/// <summary>
/// clnet's MLP data: x0 and x1 uniform in [1, 4), target y = x0 / x1, generated on the device
/// (data.cl) from the seed and the step number, so a batch costs one launch and no upload.
/// </summary>
public sealed class SyntheticRatio : IDataSource
{
    private readonly Tensor _x;
    private readonly Tensor _y;

    public int StepsPerEpoch { get; }

    public SyntheticRatio(Tensor x, Tensor y, int stepsPerEpoch)
    {
        if (x.Shape.Rank != 2 || x.Shape[1] != 2 || y.Volume != x.Shape[0])
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument, $"SyntheticRatio needs X[n,2] and Y[n], not '{x.Name}'{x.Shape} and '{y.Name}'{y.Shape}.", x.Name);
        _x = x;
        _y = y;
        StepsPerEpoch = stepsPerEpoch;
    }

    public void Load(Replica r, int epoch, int step, int seed)
    {
        int rows = _x.Shape[0];
        uint stream = unchecked((uint)(epoch * StepsPerEpoch + step));
        r.Device.Launch1D(r.Kernel("synthetic_ratio").Set(0, rows).Set(1, unchecked((uint)seed)).Set(2, stream).Set(3, r[_x]).Set(4, r[_y]), rows);
    }

    /// <summary>The same numbers on the host, for tests: kernels/common.cl's uniform01.</summary>
    public static float Uniform01(uint seed, uint stream, uint index)
    {
        uint h = Hash(seed ^ Hash(unchecked(stream * 0x9E3779B9u) ^ Hash(index)));
        return (h >> 8) * (1.0f / 16777216.0f);
    }

    private static uint Hash(uint x)
    {
        unchecked
        {
            x ^= x >> 16; x *= 0x7feb352du;
            x ^= x >> 15; x *= 0x846ca68bu;
            x ^= x >> 16;
            return x;
        }
    }
}
