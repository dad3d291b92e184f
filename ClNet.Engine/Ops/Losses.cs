namespace ClNet.Engine;

/// <summary>clnet's linear_regression loss: the mean squared error between prediction and target.</summary>
public sealed class MeanSquaredErrorOp : Op
{
    public override string TypeName => "Loss";
    public override bool IsLoss => true;

    public override void Forward(Replica r, Node node)
    {
        var (p, t) = (node.Inputs[0], node.Inputs[1]);
        r.Device.Launch(r.Kernel("mse_forward").Set(0, p.Volume).Set(1, r[p]).Set(2, r[t]).Set(3, r[node.Output]).Set(4, LossCount(r, node)), 1);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        var (p, t) = (step.Forward.Inputs[0], step.Forward.Inputs[1]);
        if (step.InputGradients[0] is { } g)
            r.Device.Launch1D(r.Kernel("mse_backward").Set(0, p.Volume).Set(1, r[p]).Set(2, r[t]).Set(3, step.Beta(0)).Set(4, r[g]), p.Volume);
    }
}

/// <summary>
/// Softmax over the last dimension and the mean negative log-likelihood of the labelled class,
/// over the batch's active rows whose label is not -1 (positions past the end of a sequence).
/// </summary>
public sealed class SoftmaxNllOp : Op
{
    public override string TypeName => "Loss";
    public override bool IsLoss => true;

    public override void Forward(Replica r, Node node)
    {
        var (x, labels) = (node.Inputs[0], node.Inputs[1]);
        int rows = x.Shape.Rows, m = r.Active(rows), c = x.Shape.Columns;
        var rowLoss = r.Workspace(node, "row_loss", rows);
        var rowValid = r.Workspace(node, "row_valid", rows);
        r.Device.Launch1D(r.Kernel("softmax_nll_rows").Set(0, m).Set(1, c).Set(2, r[x]).Set(3, r[labels]).Set(4, rowLoss).Set(5, rowValid), m);
        r.Device.Launch(r.Kernel("mean_of_valid").Set(0, m).Set(1, rowLoss).Set(2, rowValid).Set(3, r[node.Output]).Set(4, LossCount(r, node)), 1);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        var (x, labels) = (step.Forward.Inputs[0], step.Forward.Inputs[1]);
        int rows = x.Shape.Rows, c = x.Shape.Columns;
        if (step.InputGradients[0] is { } g)
            r.Device.Launch1D(r.Kernel("softmax_nll_backward").Set(0, r.Active(rows)).Set(1, rows).Set(2, c).Set(3, r[x]).Set(4, r[labels])
                .Set(5, LossCount(r, step.Forward)).Set(6, step.Beta(0)).Set(7, r[g]), rows);
    }
}

/// <summary>The number of active rows whose largest value is at the labelled class (a metric: no gradient).</summary>
public sealed class CorrectCountOp : Op
{
    public override string TypeName => "Accuracy";

    public override void Forward(Replica r, Node node)
    {
        var (x, labels) = (node.Inputs[0], node.Inputs[1]);
        int rows = x.Shape.Rows, m = r.Active(rows);
        var rowCorrect = r.Workspace(node, "row_correct", rows);
        r.Device.Launch1D(r.Kernel("argmax_correct").Set(0, m).Set(1, x.Shape.Columns).Set(2, r[x]).Set(3, r[labels]).Set(4, rowCorrect), m);
        r.Device.Launch(r.Kernel("sum_scaled").Set(0, m).Set(1, 1f).Set(2, rowCorrect).Set(3, r[node.Output]), 1);
    }

    public override void Backward(Replica r, BackwardNode step) =>
        throw new InvalidOperationException("A correct count has no gradient.");
}

public static class LossGraph
{
    /// <summary>clnet's linear_regression(prediction,target); the two must hold the same number of values.</summary>
    public static Tensor LinearRegressionLoss(this Graph g, Tensor prediction, Tensor target)
    {
        if (prediction.Volume != target.Volume)
            throw Graph.ShapeMismatch("linear_regression", prediction, target, "prediction and target must hold the same number of values");
        string name = $"linear_regression({prediction.Name},{target.Name})";
        return g.AddNode(new MeanSquaredErrorOp(), name, name, new Shape(1), prediction, target);
    }

    /// <summary>negative_log_likelihood(softmax(x),labels): x[..., classes] and one class index per row of x.</summary>
    public static Tensor SoftmaxNllLoss(this Graph g, Tensor logits, Tensor labels)
    {
        CheckLabels("negative_log_likelihood", logits, labels);
        string name = $"negative_log_likelihood(softmax({logits.Name}),{labels.Name})";
        return g.AddNode(new SoftmaxNllOp(), name, name, new Shape(1), logits, labels);
    }

    /// <summary>How many rows are classified right; the trainer turns it into an accuracy.</summary>
    public static Tensor CorrectCount(this Graph g, Tensor logits, Tensor labels)
    {
        CheckLabels("accuracy", logits, labels);
        string name = $"accuracy({logits.Name},{labels.Name})";
        return g.AddNode(new CorrectCountOp(), name, name, new Shape(1), logits, labels);
    }

    private static void CheckLabels(string op, Tensor logits, Tensor labels)
    {
        if (labels.Volume != logits.Shape.Rows)
            throw Graph.ShapeMismatch(op, logits, labels, $"one label is needed per row of '{logits.Name}' ({logits.Shape.Rows} rows)");
    }
}
