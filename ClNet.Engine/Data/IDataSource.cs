namespace ClNet.Engine;

/// <summary>Fills a replica's data tensors with one batch. Implementations enqueue and do not wait.</summary>
public interface IDataSource
{
    /// <summary>Batches in one pass over the data (for generated data, a chosen count).</summary>
    int StepsPerEpoch { get; }

    /// <summary>Enqueues batch <paramref name="step"/> (0-based) of <paramref name="epoch"/> (0-based).</summary>
    void Load(Replica replica, int epoch, int step, int seed);
}
