namespace ClNet.Engine;

/// <summary>
/// One place in a training step where the debugger can stop and the profiler counts: loading the
/// data, a forward node, a backward node, or the optimizer's update (clnet's SGD, or Adam).
/// </summary>
public sealed record ExecutionPoint(int Index, string Name, string Alias, string Type, string Phase)
{
    public const string DataPhase = "Data", ForwardPhase = "Forward", BackwardPhase = "Backward", UpdatePhase = "Update";

    /// <summary>The names a breakpoint may use for this point: its name, its alias, and the gradients it writes.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>The points of one training step of a graph, in execution order.</summary>
    public static IReadOnlyList<ExecutionPoint> Plan(ModelGraph model, string optimizer = "SGD", string optimizerType = "StochasticGradientDescentUpdater")
    {
        var points = new List<ExecutionPoint>();
        void Add(string name, string alias, string type, string phase, IEnumerable<string> names) =>
            points.Add(new ExecutionPoint(points.Count, name, alias, type, phase) { Names = names.Prepend(alias).Prepend(name).Distinct().ToList() });

        Add(model.Input.Name, model.Input.Name, "Data", DataPhase, new[] { model.Target.Name });
        foreach (var node in model.Graph.Nodes) Add(node.Name, node.Alias, node.TypeName, ForwardPhase, Array.Empty<string>());
        foreach (var step in model.Graph.Backward)
            Add(step.Alias, step.Alias, step.TypeName, BackwardPhase,
                step.InputGradients.Where((g, i) => g is not null && !step.Accumulates[i]).Select(g => g!.Name));
        Add(optimizer, optimizer, optimizerType, UpdatePhase, Array.Empty<string>());
        return points;
    }
}

/// <summary>A breakpoint: the training stops before the point, on every HitCount-th time it gets there.</summary>
public sealed class Breakpoint
{
    private int _hits;

    public string Name { get; }
    public string Phase { get; }
    public int HitCount { get; }
    public int Hits => Volatile.Read(ref _hits);

    internal Breakpoint(ExecutionPoint point, int hitCount)
    {
        Name = point.Name;
        Phase = point.Phase;
        HitCount = hitCount;
    }

    /// <summary>Counts a visit; true when this one should stop.</summary>
    internal bool Hit() => Interlocked.Increment(ref _hits) % HitCount == 0;
}

/// <summary>Closest names for an error message ("did you mean ..."), by edit distance.</summary>
public static class NameSuggestions
{
    public static IReadOnlyList<string> Nearest(string wanted, IEnumerable<string> names, int count = 3) =>
        names.Distinct().OrderBy(n => Distance(wanted.ToLowerInvariant(), n.ToLowerInvariant())).ThenBy(n => n.Length).Take(count).ToList();

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
