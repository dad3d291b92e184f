namespace ClNet.Engine;

/// <summary>The models ClNet knows by name, as clnet names them.</summary>
public static class ModelCatalog
{
    private sealed record Entry(string Name, string Description, Func<ModelOptions, int, Model> Create);

    private static readonly Entry[] Entries =
    {
        new("MLP", "clnet's multilayer perceptron: X[128,2] -> FC 4096 sigmoid -> FC 1 softrelu, regressing y = x0/x1", Mlp.Create),
    };

    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToList();

    public static string Describe(string name) => Find(name).Description;

    /// <summary>Builds a model with freshly initialised parameters (deterministic for a seed).</summary>
    public static Model Create(string name, ModelOptions? options = null, int seed = 1) =>
        Find(name).Create(options ?? new ModelOptions(), seed);

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ClNetException("UnknownModel", ClNetErrorKind.InvalidArgument,
            $"There is no model named '{name}'. Known models: {string.Join(", ", Names)}.", name);
}
