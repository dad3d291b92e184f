namespace ClNet.Engine;

/// <summary>
/// A training and a test set of labelled images. Attached to a replica, both sets go to the device
/// once, as bytes; each batch is then one gather kernel over the epoch's shuffled index list, so a
/// step uploads nothing. The last batch of an epoch is filled with images from the start of the
/// shuffled order (clnet pads the same way); the last test batch is short and only its real rows count.
/// </summary>
public sealed class ImageDataSource : IDataSource
{
    public ImageSet Train { get; }
    public ImageSet Test { get; }
    public ImageFormat Format { get; }
    public string Description { get; }

    public ImageDataSource(ImageSet train, ImageSet test, ImageFormat format, string description)
    {
        if (train.Height != test.Height || train.Width != test.Width || train.Channels != test.Channels)
            throw new ArgumentException("The training and test images differ in size.");
        if (format.Channels is < 1 or > 4) throw new ArgumentException("Images need 1 to 4 channels.");
        (Train, Test, Format, Description) = (train, test, format, description);
    }

    public IDataFeed Attach(Replica replica, ModelGraph model, int seed, Shard shard)
    {
        var (input, target) = (model.Input, model.Target);
        var expected = new Shape(input.Shape[0], Train.Height, Train.Width, Train.Channels);
        if (input.Shape != expected || target.Volume != input.Shape[0])
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument,
                $"The images are {Train.Height}x{Train.Width}x{Train.Channels}; the model's input '{input.Name}' is {input.Shape} and its target '{target.Name}' is {target.Shape}.", input.Name);
        return new Feed(this, replica, input, target, seed, shard);
    }

    private sealed class Feed : IDataFeed
    {
        private readonly ImageDataSource _source;
        private readonly Replica _replica;
        private readonly Tensor _input, _target;
        private readonly int _seed, _batch, _global, _offset;
        private readonly DeviceBuffer _trainPixels, _trainLabels, _testPixels, _testLabels, _order, _testOrder;
        private int _orderedEpoch = -1;

        public int StepsPerEpoch { get; }
        public int TestSteps { get; }

        public Feed(ImageDataSource source, Replica replica, Tensor input, Tensor target, int seed, Shard shard)
        {
            (_source, _replica, _input, _target, _seed, _batch) = (source, replica, input, target, seed, input.Shape[0]);
            (_global, _offset) = (shard.GlobalBatch, shard.Offset);
            StepsPerEpoch = (source.Train.Count + _global - 1) / _global;
            TestSteps = (source.Test.Count + _batch - 1) / _batch;
            var device = replica.Device;
            _trainPixels = Upload(device, source.Train.Pixels, "train_images");
            _trainLabels = UploadLabels(device, source.Train.Labels, "train_labels");
            _testPixels = Upload(device, source.Test.Pixels, "test_images");
            _testLabels = UploadLabels(device, source.Test.Labels, "test_labels");
            _order = device.Allocate(StepsPerEpoch * _global, "train_order");
            _testOrder = device.Allocate(TestSteps * _batch, "test_order");
            device.Write<int>(_testOrder, Enumerable.Range(0, TestSteps * _batch).Select(i => Math.Min(i, source.Test.Count - 1)).ToArray());
        }

        private static DeviceBuffer Upload(DeviceContext device, byte[] bytes, string name)
        {
            var buffer = device.Allocate((bytes.Length + 3) / 4, name);
            device.Write<byte>(buffer, bytes);
            return buffer;
        }

        private static DeviceBuffer UploadLabels(DeviceContext device, byte[] labels, string name)
        {
            var buffer = device.Allocate(labels.Length, name);
            device.Write<float>(buffer, labels.Select(l => (float)l).ToArray());
            return buffer;
        }

        /// <summary>The epoch's order: a seeded shuffle, padded to whole batches from its own start.</summary>
        private void Shuffle(int epoch)
        {
            int count = _source.Train.Count;
            var order = Enumerable.Range(0, count).ToArray();
            new Random(unchecked(_seed * 1_000_003 + epoch)).Shuffle(order);
            var padded = new int[StepsPerEpoch * _global];
            for (int i = 0; i < padded.Length; i++) padded[i] = order[i % count];
            _replica.Device.Write<int>(_order, padded);
            _orderedEpoch = epoch;
        }

        public void LoadTrain(int epoch, int step)
        {
            if (epoch != _orderedEpoch) Shuffle(epoch);
            _replica.ActiveRows = null;
            Gather(_order, step * _global + _offset, _trainPixels, _trainLabels);
        }

        public void LoadTest(int step)
        {
            _replica.ActiveRows = Math.Min(_batch, _source.Test.Count - step * _batch);
            Gather(_testOrder, step * _batch, _testPixels, _testLabels);
        }

        private void Gather(DeviceBuffer order, int first, DeviceBuffer pixels, DeviceBuffer labels)
        {
            var f = _source.Format;
            float Mean(int c) => c < f.Channels ? f.Mean[c] : 0f;
            float InverseStd(int c) => c < f.Channels ? 1f / f.Std[c] : 1f;
            var kernel = _replica.Kernel("gather_images").Set(0, _batch).Set(1, _source.Train.PixelsPerImage).Set(2, f.Channels)
                .Set(3, order).Set(4, first).Set(5, pixels).Set(6, labels)
                .Set(7, new System.Numerics.Vector4(Mean(0), Mean(1), Mean(2), Mean(3)))
                .Set(8, new System.Numerics.Vector4(InverseStd(0), InverseStd(1), InverseStd(2), InverseStd(3)))
                .Set(9, _replica[_input]).Set(10, _replica[_target]);
            _replica.Device.Launch(kernel, _source.Train.PixelsPerImage, _batch, 64, 1);
        }

        public void Dispose()
        {
            foreach (var b in new[] { _trainPixels, _trainLabels, _testPixels, _testLabels, _order, _testOrder }) b.Dispose();
        }
    }
}
