using System.Globalization;
using CsvHelper;

namespace ClNet.Engine;

/// <summary>One element of a tensor in a CSV file: clnet's save_csv and load_csv.</summary>
[CsvRecord]
public sealed partial record TensorCsvRow(string Tensor, string Shape, string Index, float Value);

/// <summary>
/// Tensors as CSV (CsvHelper): a header, then one row per element with the tensor's name, its
/// shape, the element's index (0,5) and its value, in row-major order. PowerShell's Import-Csv
/// reads it too. Writing is atomic; reading checks every row before it returns anything.
/// </summary>
public static class TensorCsv
{
    public sealed record Contents(string Tensor, Shape Shape, float[] Values);

    public static void Write(string path, string tensor, Shape shape, IReadOnlyList<float> values)
    {
        var strides = Strides(shape);
        string Index(int offset) => string.Join(",", strides.Select((s, d) => offset / s % shape[d]));
        AtomicFile.Write(path, temporary =>
        {
            using var csv = CsvWriter.ToFile(temporary, new CsvWriterOptions { NewLine = "\n" }, FileOptions.None);
            csv.WriteRecords(values.Select((v, i) => new TensorCsvRow(tensor, shape.ToString(), Index(i), v)));
        });
    }

    public static Contents Read(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ClNetException("TensorFileNotFound", ClNetErrorKind.ObjectNotFound, $"The tensor file '{full}' does not exist.", full);
        ClNetException Bad(string why) => new("InvalidTensorFile", ClNetErrorKind.InvalidData, $"'{full}' is not a ClNet tensor CSV file: {why}.", full);
        List<TensorCsvRow> rows;
        try
        {
            using var csv = CsvReader.FromFile(full, new CsvReaderOptions(), FileOptions.None);
            rows = csv.GetRecords<TensorCsvRow>().ToList();
        }
        catch (Exception e) when (e is not ClNetException and not IOException)
        {
            throw Bad(e.Message);
        }
        if (rows.Count == 0) throw Bad("it has no rows");
        string name = rows[0].Tensor, shapeText = rows[0].Shape;
        var shape = ParseShape(shapeText) ?? throw Bad($"'{shapeText}' is not a shape");
        if (rows.Count != shape.Volume) throw Bad($"it has {rows.Count} rows but {name}{shape} holds {shape.Volume} values");
        var strides = Strides(shape);
        var values = new float[shape.Volume];
        var seen = new bool[shape.Volume];
        foreach (var row in rows)
        {
            if (row.Tensor != name || row.Shape != shapeText) throw Bad($"it mixes tensors ({name}{shapeText} and {row.Tensor}{row.Shape})");
            var index = row.Index.Split(',');
            if (index.Length != shape.Rank) throw Bad($"index '{row.Index}' does not have {shape.Rank} parts");
            int offset = 0;
            for (int d = 0; d < shape.Rank; d++)
            {
                if (!int.TryParse(index[d], NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= shape[d]) throw Bad($"index '{row.Index}' is outside {shape}");
                offset += i * strides[d];
            }
            if (seen[offset]) throw Bad($"index '{row.Index}' appears twice");
            seen[offset] = true;
            values[offset] = row.Value;
        }
        return new Contents(name, shape, values);
    }

    private static int[] Strides(Shape shape)
    {
        var strides = new int[shape.Rank];
        for (int d = shape.Rank - 1, s = 1; d >= 0; s *= shape[d], d--) strides[d] = s;
        return strides;
    }

    private static Shape? ParseShape(string text)
    {
        if (!text.StartsWith('[') || !text.EndsWith(']')) return null;
        var parts = text[1..^1].Split(',');
        var dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] <= 0) return null;
        return new Shape(dims);
    }
}
