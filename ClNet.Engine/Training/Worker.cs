namespace ClNet.Engine;

/// <summary>
/// One device's part of a training: its context, the graph built for its share of the batch, the
/// replica, its data feed and optimizer, and its running sums. Several workers train one model in
/// step; each sees its rows of every global batch.
/// </summary>
internal sealed class Worker : IDisposable
{
    // slots of the device-side running sums read by each report
    public const int LossSum = 0, LossCount = 1, CorrectSum = 2, TestLossSum = 3, TestCount = 4, TestCorrectSum = 5, Slots = 6;

    public int Index { get; }
    public DeviceInfo Device { get; }
    public DeviceContext Context { get; }
    public ModelGraph Model { get; }
    public Replica Replica { get; }
    public IDataFeed Feed { get; }
    public Optimizer Optimizer { get; }
    public DeviceBuffer Sums { get; }
    public Profiler? Profiler { get; set; }

    public Worker(int index, DeviceInfo device, KernelCache? cache, ModelGraph model, IDataSource data, int seed, Shard shard,
        Func<Replica, Optimizer> optimizer, ParameterSet parameters)
    {
        Index = index;
        Device = device;
        Model = model;
        Context = new DeviceContext(device, cache);
        try
        {
            Replica = new Replica(model.Graph, Context) { Index = index };
            Feed = data.Attach(Replica, model, seed, shard);
            Optimizer = optimizer(Replica);
            Sums = Context.Allocate(Slots, "running_sums");
            Replica.Upload(parameters);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Node LossNode => Model.Graph.Loss!.Producer!;

    /// <summary>Adds this step's loss (weighted by the rows it averaged) and correct count to the running sums.</summary>
    public void Accumulate(int lossSlot, Tensor? correct, int correctSlot)
    {
        Context.Launch(Context.Kernels["accumulate_weighted"].Set(0, Replica[Model.Graph.Loss!]).Set(1, Op.LossCount(Replica, LossNode))
            .Set(2, Sums).Set(3, lossSlot), 1);
        if (correct is not null)
            Context.Launch(Context.Kernels["accumulate_scalar"].Set(0, Replica[correct]).Set(1, Sums).Set(2, correctSlot).Set(3, 1f), 1);
    }

    /// <summary>Reads the running sums (waiting for the queue) and clears them.</summary>
    public double[] ReadSums()
    {
        var values = new float[Slots];
        Context.Read(Sums, values);
        Context.Fill(Sums, 0f);
        return values.Select(v => (double)v).ToArray();
    }

    public void Dispose()
    {
        Sums?.Dispose();
        Optimizer?.Dispose();
        Feed?.Dispose();
        Replica?.Dispose();
        Context.Dispose();
    }
}
