namespace ClNet.Engine;

/// <summary>
/// clnet's MLP data: x0 and x1 uniform in [1, 4), target y = x0 / x1, generated on the device
/// (data.cl) from the seed and the step number, so a batch costs one launch and no upload.
/// An epoch is a chosen number of batches; there is no separate test set.
/// </summary>
public sealed class SyntheticRatio : IDataSource
{
    public int StepsPerEpoch { get; }

    public SyntheticRatio(int stepsPerEpoch) => StepsPerEpoch = stepsPerEpoch;

    public string Description => $"generated: x0, x1 uniform in [1,4), y = x0/x1; {StepsPerEpoch} batches per epoch";

    public IDataFeed Attach(Replica replica, ModelGraph model, int seed, Shard shard)
    {
        var (input, target) = (model.Input, model.Target);
        if (input.Shape.Rank != 2 || input.Shape[1] != 2 || target.Volume != input.Shape[0])
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument,
                $"Generated ratio data needs an input [n,2] and a target [n], not '{input.Name}'{input.Shape} and '{target.Name}'{target.Shape}.", input.Name);
        return new Feed(this, replica, input, target, seed, shard.Offset);
    }

    private sealed class Feed(SyntheticRatio source, Replica replica, Tensor x, Tensor y, int seed, int firstRow) : IDataFeed
    {
        public int StepsPerEpoch => source.StepsPerEpoch;
        public int TestSteps => 0;

        public void LoadTrain(int epoch, int step)
        {
            int rows = x.Shape[0];
            uint stream = unchecked((uint)(epoch * StepsPerEpoch + step));
            replica.Device.Launch1D(replica.Kernel("synthetic_ratio").Set(0, rows).Set(1, unchecked((uint)seed)).Set(2, stream)
                .Set(3, firstRow).Set(4, replica[x]).Set(5, replica[y]), rows);
        }

        public void LoadTest(int step) => throw new InvalidOperationException("Generated data has no test set.");

        public void Dispose() { }
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
