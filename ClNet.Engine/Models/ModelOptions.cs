using System.Globalization;

namespace ClNet.Engine;

/// <summary>
/// A model's construction settings (hidden sizes, data paths, ...), kept as invariant strings so
/// that they travel in parameter files and come back exactly. Each model declares the names it knows.
/// </summary>
public sealed class ModelOptions
{
    private readonly Dictionary<string, string> _values;

    public ModelOptions(IEnumerable<KeyValuePair<string, object?>>? values = null)
    {
        _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values ?? Enumerable.Empty<KeyValuePair<string, object?>>())
            if (value is not null) _values[key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
    }

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Rejects names the model does not know, listing the ones it does.</summary>
    public void CheckNames(string model, IReadOnlyCollection<string> known)
    {
        foreach (var key in _values.Keys)
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new ClNetException("UnknownModelOption", ClNetErrorKind.InvalidArgument,
                    $"Model {model} has no option '{key}'. Its options are: {string.Join(", ", known)}.", key);
    }

    public int Int(string name, int fallback, int minimum = 1)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < minimum)
            throw new ClNetException("InvalidModelOption", ClNetErrorKind.InvalidArgument, $"Option '{name}' must be an integer of at least {minimum}, not '{text}'.", name);
        return value;
    }

    public double Double(string name, double fallback, double minimum = 0, double maximum = double.MaxValue)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < minimum || value > maximum)
            throw new ClNetException("InvalidModelOption", ClNetErrorKind.InvalidArgument, $"Option '{name}' must be a number from {minimum} to {maximum}, not '{text}'.", name);
        return value;
    }

    public string? Text(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={kv.Value}"));
}
