namespace ClNet.Engine;

/// <summary>The models ClNet knows by name, as clnet names them.</summary>
public static class ModelCatalog
{
    private static readonly ModelDefinition[] Definitions = { Mlp.Definition, MnistCnn.Definition, CifarWrn.Definition, CharRnn.Definition };

    public static IReadOnlyList<string> Names => Definitions.Select(d => d.Name).ToList();

    public static string Describe(string name) => Find(name).Description;

    /// <summary>
    /// Builds a model with freshly initialised parameters (deterministic for a seed). A model whose
    /// shape depends on its data (the char-RNN's alphabet) completes its options from the data path first.
    /// </summary>
    public static Model Create(string name, ModelOptions? options = null, int seed = 1, string? dataPath = null)
    {
        var definition = Find(name);
        options ??= new ModelOptions();
        if (definition.CompleteOptions is { } complete) options = complete(options, dataPath);
        return new Model(definition, options, seed);
    }

    public static ModelDefinition Find(string name) =>
        Definitions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ClNetException("UnknownModel", ClNetErrorKind.InvalidArgument,
            $"There is no model named '{name}'. Known models: {string.Join(", ", Names)}.", name);
}
