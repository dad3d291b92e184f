namespace ClNet.Engine;

/// <summary>
/// clnet's LSTM on a dynamic graph: a stack of layers whose time loop runs on the host at run time,
/// over as many steps as the batch's longest sequence (<see cref="Replica.SequenceSteps"/>), so the
/// graph does not grow with the length and short batches cost what they are. Per layer, the input
/// projection of all steps is one matrix product (lstm_weight_x[in, 4H]); each step adds the
/// recurrent product h_{t-1}·lstm_weight_h[H, 4H] and runs the cell (in one kernel on CPU devices). Backward runs through
/// time in reverse and sums the weight gradients with one product each, from the gate gradients transposed once
/// per layer (dGᵀ, whose rows the products stream), the bias gradient on the way. Between layers, and after
/// the last, dropout (off at inference).
/// Inputs: x[B, T, in], lengths[B], then per layer lstm_weight_x, lstm_weight_h, lstm_bias; where x is
/// an embedding (x = matrix[index]), also its index and matrix. Then the first layer's input
/// projection is a lookup: x·Wx = (matrix·Wx)[index], one row of a [V, 4H] table per character, which
/// takes V rows of product instead of B·T (a char model: ~80 instead of 4,128). Backward sums the gate
/// gradients per vocabulary entry, S[v] = Σ_{index = v} dG, and gives the matrix S·Wxᵀ and Wx matrixᵀ·S
/// directly; the embedding's output gets no gradient, so its own backward pass does not run.
/// </summary>
public sealed class LstmOp : Op
{
    public int Layers { get; }
    public float Dropout { get; }
    public uint Seed { get; }

    /// <summary>Start each call from the state the previous one ended in (a generator feeding one character at a time).</summary>
    public bool CarryState { get; set; }

    public LstmOp(int layers, float dropout, uint seed)
    {
        Layers = layers;
        Dropout = dropout;
        Seed = seed;
    }

    public override string TypeName => "LSTM";

    private static (int B, int T, int H) Sizes(Node node) => (node.Output.Shape[0], node.Output.Shape[1], node.Output.Shape[2]);

    private static (Tensor Wx, Tensor Wh, Tensor Bias) Weights(Node node, int layer) =>
        (node.Inputs[2 + 3 * layer], node.Inputs[3 + 3 * layer], node.Inputs[4 + 3 * layer]);

    private uint Stream(Replica r, int layer) => DropoutOp.Stream(r, Seed + (uint)layer);

    /// <summary>The embedding that x is, as its index[B, T] and matrix[V, in], when the node has them (<see cref="LstmGraph.Lstm"/>).</summary>
    private (Tensor Index, Tensor Matrix)? Embedding(Node node) =>
        node.Inputs.Count > 2 + 3 * Layers ? (node.Inputs[^2], node.Inputs[^1]) : null;

    /// <summary>An embedded x gets no gradient: the matrix gets it (see the class summary).</summary>
    public override bool HasGradient(Node node, int input) => input != 0 || Embedding(node) is null;

    /// <summary>
    /// CPU devices run a step in one launch, the recurrent product and the cell together (kernels/recurrent.cl);
    /// GPU devices, whose product kernel wants many more work-items than one step has, launch the tiled product and the cell.
    /// </summary>
    private static bool Fused(Replica r) => r.Device.GemmVariant != GemmVariant.Tiles;

    public override void Forward(Replica r, Node node)
    {
        var (b, t, h) = Sizes(node);
        int steps = Math.Min(r.SequenceSteps ?? t, t);
        var lengths = r[node.Inputs[1]];
        var device = r.Device;
        for (int l = 0; l < Layers; l++)
        {
            var (wx, wh, bias) = Weights(node, l);
            int inputs = wx.Shape[0];
            var input = l == 0 ? r[node.Inputs[0]] : r.Workspace(node, $"out{l - 1}", b * t * h);
            var gates = r.Workspace(node, $"gates{l}", b * t * 4 * h);
            var hs = r.Workspace(node, $"h{l}", b * (t + 1) * h);
            var cs = r.Workspace(node, $"c{l}", b * (t + 1) * h);
            device.Launch(r.Kernel("lstm_initial_state").Set(0, b).Set(1, t).Set(2, h).Set(3, CarryState ? t : -1).Set(4, hs).Set(5, cs), h, b, 16, 1);
            // all steps' input projections at once: gates[B*T, 4H] = input · Wx + bias, or looked up in matrix·Wx + bias
            // when the input is an embedding with fewer entries than the batch has steps (a generator's single step is not)
            if (l == 0 && Embedding(node) is var (index, matrix) && matrix.Shape[0] <= b * t)
            {
                int v = matrix.Shape[0];
                var table = r.Workspace(node, "embedding_projection", v * 4 * h);
                Gemm.Enqueue(device, v, 4 * h, inputs, MatrixView.RowMajor(r[matrix], inputs), MatrixView.RowMajor(r[wx], 4 * h), MatrixView.RowMajor(table, 4 * h),
                    r[bias], BiasMode.PerColumn);
                device.LaunchRows(r.Kernel("embedding_forward").Set(0, b * t).Set(1, 4 * h).Set(2, r[index]).Set(3, table).Set(4, gates), b * t, 4 * h);
            }
            else
                Gemm.Enqueue(device, b * t, 4 * h, inputs, MatrixView.RowMajor(input, inputs), MatrixView.RowMajor(r[wx], 4 * h), MatrixView.RowMajor(gates, 4 * h),
                    r[bias], BiasMode.PerColumn);
            if (Fused(r))
            {
                // Wh packed once for all the steps of this layer, the four gates of 8 units side by side
                var packed = r.Workspace(node, "wh_gates_packed", (h + 7) / 8 * 32 * h);
                device.Launch(r.Kernel("lstm_pack_recurrent_weights").Set(0, h).Set(1, r[wh]).Set(2, packed), (h + 7) / 8, h, 1, 64);
                var step = r.Kernel("lstm_step_forward");
                for (int s = 0; s < steps; s++)   // the initial state is zero unless carried: nothing to add at step 0
                    device.Launch(step.Set(0, b).Set(1, t).Set(2, h).Set(3, s).Set(4, s > 0 || CarryState ? 1 : 0)
                        .Set(5, packed).Set(6, gates).Set(7, cs).Set(8, hs).Set(9, lengths), (b + 7) / 8, (h + 7) / 8, 1, 1);
            }
            else
            {
                var cell = r.Kernel("lstm_cell_forward");
                // Wh packed once for all the steps of this layer
                var packedWh = Gemm.Pack(device, MatrixView.RowMajor(r[wh], 4 * h), h, 4 * h, r.Workspace(node, "wh_packed", Gemm.PackedLength(h, 4 * h)));
                for (int s = 0; s < steps; s++)
                {
                    if (s > 0 || CarryState)   // the initial state is zero unless carried: nothing to add at step 0
                        Gemm.Enqueue(device, b, new MatrixView(hs, (t + 1) * h, 1, s * h), packedWh, new MatrixView(gates, t * 4 * h, 1, s * 4 * h), beta: 1f);
                    device.Launch(cell.Set(0, b).Set(1, t).Set(2, h).Set(3, s).Set(4, gates).Set(5, cs).Set(6, hs).Set(7, lengths), (h + 7) / 8, b);
                }
            }
            var output = l == Layers - 1 ? r[node.Output] : r.Workspace(node, $"out{l}", b * t * h);
            device.LaunchRows(r.Kernel("lstm_output_forward").Set(0, b).Set(1, t).Set(2, h).Set(3, hs).Set(4, r.IsTraining ? Dropout : 0f)
                .Set(5, Seed).Set(6, Stream(r, l)).Set(7, output), b * t, h);
        }
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        var node = step.Forward;
        var (b, t, h) = Sizes(node);
        int steps = Math.Min(r.SequenceSteps ?? t, t);
        var lengths = r[node.Inputs[1]];
        var device = r.Device;
        var dOutput = r[step.OutputGradient!];
        var dc = r.Workspace(node, "dc", b * h);
        // what flows from h_t on to h_{t-1} unchanged past a sequence's end
        var carry = r.Workspace(node, "dh_carry", b * h);
        var dh = r.Workspace(node, "dh", b * t * h);
        var previous = r.Workspace(node, "h_previous", b * t * h);
        for (int l = Layers - 1; l >= 0; l--)
        {
            var (wx, wh, bias) = Weights(node, l);
            int inputs = wx.Shape[0];
            var gates = r.Workspace(node, $"gates{l}", b * t * 4 * h);
            var dgates = r.Workspace(node, $"dgates{l}", b * t * 4 * h);
            var hs = r.Workspace(node, $"h{l}", b * (t + 1) * h);
            var cs = r.Workspace(node, $"c{l}", b * (t + 1) * h);
            var dY = l == Layers - 1 ? dOutput : r.Workspace(node, $"dout{l}", b * t * h);
            // the gradient reaching h from above, through the dropout mask: dY itself without dropout
            var dhOut = dY;
            if (r.IsTraining && Dropout > 0)
            {
                device.Launch1D(r.Kernel("dropout_backward").Set(0, b * t * h).Set(1, Dropout).Set(2, Seed).Set(3, Stream(r, l))
                    .Set(4, dY).Set(5, 0f).Set(6, dh), b * t * h);
                dhOut = dh;
            }
            device.Fill(dc, 0f);
            device.Fill(carry, 0f);
            if (steps < t) device.Fill(dgates, 0f);   // steps past the longest sequence were never run
            // step s: dh_s = dh_out + carry + dG_{s+1}·Whᵀ, then the cell's backward pass. CPU devices do both in
            // one kernel (Whᵀ in 32-unit panels); GPU devices run the tiled product into a buffer, then the cell.
            bool fused = Fused(r);
            int? width = fused ? 32 : null;
            var whT = Gemm.Pack(device, MatrixView.Transposed(r[wh], 4 * h), 4 * h, h, r.Workspace(node, "wh_packed", Gemm.PackedLength(4 * h, h, width)), width);
            var product = fused ? whT.Buffer : r.Workspace(node, "dh_product", b * h);
            var kernel = r.Kernel(fused ? "lstm_step_backward" : "lstm_cell_backward");
            for (int s = steps - 1; s >= 0; s--)
            {
                bool recurrent = s < steps - 1;   // nothing reaches the last step through Wh
                if (!fused && recurrent)
                    Gemm.Enqueue(device, b, new MatrixView(dgates, t * 4 * h, 1, (s + 1) * 4 * h), whT, MatrixView.RowMajor(product, h));
                kernel.Set(0, b).Set(1, t).Set(2, h).Set(3, s).Set(4, recurrent ? 1 : 0).Set(5, product).Set(6, gates).Set(7, cs)
                    .Set(8, dhOut).Set(9, dc).Set(10, dgates).Set(11, carry).Set(12, lengths);
                if (fused) device.Launch(kernel, (b + 7) / 8, (h + 31) / 32, 1, 1);
                else device.Launch(kernel, (h + 15) / 16, b);
            }
            var dG = MatrixView.RowMajor(dgates, 4 * h);
            int rows = b * t;
            device.LaunchRows(r.Kernel("lstm_previous_hidden").Set(0, b).Set(1, t).Set(2, h).Set(3, hs).Set(4, previous), rows, h);
            // the weight gradients sum over all B*T rows: their products read dGᵀ's rows as streams
            // (dG's columns would be 8 values from every 4H-float row); the bias gradient, dG's column
            // sums, comes with the transpose (an embedded first layer sums per vocabulary entry instead)
            bool embedded = l == 0 && Embedding(node) is not null;
            var dBias = embedded ? null : step.InputGradients[4 + 3 * l];
            var dGT = r.Workspace(node, "dgates_transposed", b * t * 4 * h);
            Gemm.Transpose(device, dgates, rows, 4 * h, dGT, dBias is null ? null : r[dBias], step.Beta(4 + 3 * l));
            if (step.InputGradients[3 + 3 * l] is { } dWh)   // dWhᵀ = dGᵀ · h_prev
                Gemm.Enqueue(device, 4 * h, h, rows, MatrixView.RowMajor(dGT, rows), MatrixView.RowMajor(previous, h), MatrixView.Transposed(r[dWh], 4 * h),
                    beta: step.Beta(3 + 3 * l));
            if (embedded)
            {
                EmbeddedInputBackward(r, step, dgates, rows);
                continue;
            }
            var input = l == 0 ? r[node.Inputs[0]] : r.Workspace(node, $"out{l - 1}", b * t * h);
            if (step.InputGradients[2 + 3 * l] is { } dWx)   // dWxᵀ = dGᵀ · input
                Gemm.Enqueue(device, 4 * h, inputs, rows, MatrixView.RowMajor(dGT, rows), MatrixView.RowMajor(input, inputs), MatrixView.Transposed(r[dWx], 4 * h),
                    beta: step.Beta(2 + 3 * l));
            // the gradient of this layer's input: the previous layer's output, or x
            var dInput = l > 0 ? r.Workspace(node, $"dout{l - 1}", rows * h) : step.InputGradients[0] is { } dx ? r[dx] : null;
            if (dInput is not null)
                Gemm.Enqueue(device, rows, inputs, 4 * h, dG, MatrixView.Transposed(r[wx], 4 * h), MatrixView.RowMajor(dInput, inputs), beta: l > 0 ? 0f : step.Beta(0));
        }
    }

    /// <summary>
    /// The first layer's weight and bias gradients and the embedding matrix's, from the gate gradients summed
    /// per vocabulary entry: S[v] = Σ_{index = v} dG; dWx = matrixᵀ·S, dbias = Σ_v S[v], dmatrix = S·Wxᵀ.
    /// </summary>
    private void EmbeddedInputBackward(Replica r, BackwardNode step, DeviceBuffer dgates, int rows)
    {
        var node = step.Forward;
        var (index, matrix) = Embedding(node)!.Value;
        var (wx, _, _) = Weights(node, 0);
        int v = matrix.Shape[0], inputs = matrix.Shape[1], gates = wx.Shape[1];
        var device = r.Device;
        var sums = r.Workspace(node, "embedding_projection_gradient", v * gates);
        device.Launch(r.Kernel("embedding_sum_rows").Set(0, rows).Set(1, gates).Set(2, v).Set(3, r[index]).Set(4, dgates).Set(5, 0f).Set(6, sums),
            (gates + 15) / 16, 1, 1, 1);
        var s = MatrixView.RowMajor(sums, gates);
        if (step.InputGradients[2] is { } dWx)
            Gemm.Enqueue(device, inputs, gates, v, MatrixView.Transposed(r[matrix], inputs), s, MatrixView.RowMajor(r[dWx], gates), beta: step.Beta(2));
        if (step.InputGradients[4] is { } dBias)
            device.Launch(r.Kernel("column_sum").Set(0, v).Set(1, gates).Set(2, sums).Set(3, step.Beta(4)).Set(4, r[dBias]), (gates + 15) / 16, 1, 1, 1);
        int m = node.Inputs.Count - 1;
        if (step.InputGradients[m] is { } dMatrix)
            Gemm.Enqueue(device, v, inputs, gates, s, MatrixView.Transposed(r[wx], gates), MatrixView.RowMajor(r[dMatrix], inputs), beta: step.Beta(m));
    }
}

/// <summary>Zeros, except 1 for the forget gate's quarter: the usual start that lets an LSTM remember from the first step.</summary>
public sealed class ForgetGateBiasInitializer : Initializer
{
    public override void Fill(Span<float> values, Random random)
    {
        int h = values.Length / 4;
        values.Clear();
        values.Slice(h, h).Fill(1f);
    }

    public override string ToString() => "ForgetGateBias(1)";
}

public static class LstmGraph
{
    /// <summary>
    /// Adds clnet's LSTM(x): a stack of <paramref name="layers"/> layers of width <paramref name="hidden"/>
    /// over x[B, T, in] with per-sequence lengths[B], weights lstm_weight_x{l}, lstm_weight_h{l} and lstm_bias{l}.
    /// </summary>
    public static Tensor Lstm(this Graph g, string name, Tensor x, Tensor lengths, int layers, int hidden, float dropout = 0, uint seed = 1)
    {
        if (x.Shape.Rank != 3) throw Graph.ShapeMismatch(name, x, lengths, $"'{x.Name}' must be [batch, time, features]");
        if (lengths.Volume != x.Shape[0]) throw Graph.ShapeMismatch(name, x, lengths, $"'{lengths.Name}' needs one length per sequence ({x.Shape[0]})");
        if (layers < 1 || hidden < 1)
            throw new ClNetException("InvalidLstm", ClNetErrorKind.InvalidArgument, $"{name}: an LSTM needs at least one layer of at least one unit.", name);
        var inputs = new List<Tensor> { x, lengths };
        int width = x.Shape[2];
        for (int l = 0; l < layers; l++)
        {
            inputs.Add(g.Weight($"lstm_weight_x{l}", new GaussianInitializer(0, 1 / Math.Sqrt(width)), width, 4 * hidden));
            inputs.Add(g.Weight($"lstm_weight_h{l}", new GaussianInitializer(0, 1 / Math.Sqrt(hidden)), hidden, 4 * hidden));
            inputs.Add(g.Bias($"lstm_bias{l}", new ForgetGateBiasInitializer(), 4 * hidden));
            width = hidden;
        }
        if (x.Producer is { Op: EmbeddingOp } embedding) inputs.AddRange(embedding.Inputs);   // index, matrix: see LstmOp
        return g.AddNode(new LstmOp(layers, dropout, seed), $"{name}=LSTM({x.Name})", name, new Shape(x.Shape[0], x.Shape[1], hidden), inputs.ToArray());
    }
}
