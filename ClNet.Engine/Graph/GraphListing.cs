namespace ClNet.Engine;

/// <summary>One line of a graph listing (clnet's /ds): a tensor, or a node with its output shape and inputs.</summary>
public sealed record GraphEntry(int Index, string Name, string Type, string Phase, string Shape, IReadOnlyList<string> Inputs, string Alias);

/// <summary>One saved tensor, for the parameter listing (clnet's /pp).</summary>
public sealed record ParameterEntry(string Name, TensorRole Role, string Shape, long Count, bool Trainable);

public static class GraphListing
{
    /// <summary>
    /// The execution order: data, forward nodes, backward nodes and the update. Without
    /// <paramref name="operatorsOnly"/> every tensor is listed too, just before the first node that reads it.
    /// </summary>
    public static IReadOnlyList<GraphEntry> Of(ModelGraph model, bool operatorsOnly)
    {
        var entries = new List<GraphEntry>();
        var shown = new HashSet<Tensor>();
        void Add(string name, string type, string phase, string shape, IEnumerable<string> inputs, string alias) =>
            entries.Add(new GraphEntry(entries.Count, name, type, phase, shape, inputs.ToList(), alias));
        void Tensors(IEnumerable<Tensor> tensors)
        {
            if (operatorsOnly) return;
            foreach (var t in tensors.Where(shown.Add))
                if (t.Producer is null) Add(t.Name, t.Role.ToString(), "Tensor", t.Shape.ToString(), Array.Empty<string>(), t.Name);
        }

        foreach (var node in model.Graph.Nodes)
        {
            Tensors(node.Inputs);
            shown.Add(node.Output);
            Add(node.Name, node.TypeName, ExecutionPoint.ForwardPhase, node.Output.Shape.ToString(), node.Inputs.Select(i => i.Name), node.Alias);
        }
        foreach (var step in model.Graph.Backward)
        {
            var written = step.InputGradients.Where(g => g is not null).Select(g => g!).ToList();
            Add(step.Alias, step.TypeName, ExecutionPoint.BackwardPhase, string.Join(" ", written.Select(g => g.Shape.ToString())),
                step.Forward.Inputs.Select(i => i.Name).Prepend(step.OutputGradient?.Name ?? step.Forward.Name), step.Alias);
        }
        var trainable = model.Graph.TrainableParameters.Where(t => t.Gradient is not null).ToList();
        Add("SGD", "StochasticGradientDescentUpdater", ExecutionPoint.UpdatePhase, "", trainable.Select(t => t.Name), "SGD");
        return entries;
    }

    /// <summary>Every saved tensor, largest first.</summary>
    public static IReadOnlyList<ParameterEntry> Parameters(Graph graph) =>
        graph.Parameters.OrderByDescending(t => t.Volume).ThenBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new ParameterEntry(t.Name, t.Role, t.Shape.ToString(), t.Volume, t.IsTrainable)).ToList();
}
