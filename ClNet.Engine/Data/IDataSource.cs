namespace ClNet.Engine;

/// <summary>A model's data on the host, loaded (and checked) once, before any training starts.</summary>
public interface IDataSource
{
    /// <summary>Where the data comes from, for display.</summary>
    string Description { get; }

    /// <summary>
    /// Places the data where a replica can use it and binds it to the graph's input, target (and
    /// length) tensors. The replica takes the rows [Offset, Offset + its batch) of every global batch.
    /// </summary>
    IDataFeed Attach(Replica replica, ModelGraph model, int seed, Shard shard);
}

/// <summary>
/// Which rows of each global batch one replica trains on: several devices, or several MPI ranks,
/// split a batch between them and together see exactly what one device would.
/// </summary>
public sealed record Shard(int Offset, int GlobalBatch)
{
    public static Shard Whole(int batch) => new(0, batch);
}

/// <summary>A data source bound to one replica. Loading a batch enqueues work and does not wait.</summary>
public interface IDataFeed : IDisposable
{
    /// <summary>Batches in one pass over the training data.</summary>
    int StepsPerEpoch { get; }

    /// <summary>Batches in one pass over the test data; 0 when there is no test set.</summary>
    int TestSteps { get; }

    /// <summary>Fills the input and target with training batch <paramref name="step"/> of <paramref name="epoch"/> (both 0-based).</summary>
    void LoadTrain(int epoch, int step);

    /// <summary>Fills them with test batch <paramref name="step"/>; the last batch may be short (see <see cref="Replica.ActiveRows"/>).</summary>
    void LoadTest(int step);
}
