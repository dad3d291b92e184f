using System.Globalization;
using System.Text;

namespace ClNet.Engine;

/// <summary>
/// A slice of a tensor in clnet's grammar, ':,0:8': one part per dimension, separated by commas.
/// A part is an index (negative counts from the end; it removes the dimension), a range a:b
/// (either end may be left out, negative ends count from the end), or ':' for all. Dimensions left
/// out at the end are taken whole. With clnet's reshaping, a tensor is first viewed with as many
/// dimensions as the slice has parts, the last one holding the rest ([32,28,28,20] sliced '0:2,0:8'
/// is read as [32,15680]).
/// </summary>
public sealed class Slice
{
    private readonly (int Start, int End, bool Index)[] _parts;

    public string Text { get; }
    /// <summary>The shape the slice was applied to (after clnet's reshaping).</summary>
    public Shape Viewed { get; }
    /// <summary>The dimensions of the result: the ranges, without the single indexes.</summary>
    public int[] ResultShape { get; }
    public int Count => ResultShape.Aggregate(1, (a, b) => a * b);

    private Slice(string text, Shape viewed, (int, int, bool)[] parts)
    {
        Text = text;
        Viewed = viewed;
        _parts = parts;
        ResultShape = parts.Where(p => !p.Item3).Select(p => p.Item2 - p.Item1).ToArray();
    }

    public static Slice Parse(string? text, Tensor tensor, bool reshape = false)
    {
        text = string.IsNullOrWhiteSpace(text) ? ":" : text.Trim();
        var pieces = text.Split(',');
        var shape = tensor.Shape;
        if (reshape && pieces.Length < shape.Rank)
        {
            var dims = shape.Dimensions.Take(pieces.Length - 1).ToList();
            dims.Add(shape.Dimensions.Skip(pieces.Length - 1).Aggregate(1, (a, b) => a * b));
            shape = new Shape(dims.ToArray());
        }
        if (pieces.Length > shape.Rank)
            throw Error(text, tensor, shape, $"it has {pieces.Length} parts but the tensor has {shape.Rank} dimensions");
        var parts = new (int, int, bool)[shape.Rank];
        for (int d = 0; d < shape.Rank; d++)
            parts[d] = d < pieces.Length ? ParsePart(pieces[d].Trim(), shape[d], d, text, tensor, shape) : (0, shape[d], false);
        return new Slice(text, shape, parts);
    }

    private static (int, int, bool) ParsePart(string part, int size, int dim, string text, Tensor tensor, Shape shape)
    {
        int Bound(string s, int fallback)
        {
            if (s.Length == 0) return fallback;
            if (!int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
                throw Error(text, tensor, shape, $"'{s}' in dimension {dim} is not an integer");
            return v < 0 ? v + size : v;
        }
        int colon = part.IndexOf(':');
        if (colon < 0)
        {
            int index = Bound(part, 0);
            if (part.Length == 0 || index < 0 || index >= size)
                throw Error(text, tensor, shape, $"index {part} is outside dimension {dim}, which has {size} entries");
            return (index, index + 1, true);
        }
        if (part.IndexOf(':', colon + 1) >= 0) throw Error(text, tensor, shape, $"'{part}' has more than one ':'");
        int start = Bound(part[..colon], 0), end = Bound(part[(colon + 1)..], size);
        if (start < 0 || end > size || start >= end)
            throw Error(text, tensor, shape, $"range {part} is outside dimension {dim}, which has {size} entries, or empty");
        return (start, end, false);
    }

    private static ClNetException Error(string text, Tensor tensor, Shape shape, string why) =>
        new("SliceOutOfRange", ClNetErrorKind.InvalidArgument,
            $"The slice '{text}' does not fit {tensor.Name}{tensor.Shape}{(shape == tensor.Shape ? "" : $" (viewed as {shape})")}: {why}.", text);

    /// <summary>The flat positions in the tensor of the slice's elements, in row-major order.</summary>
    public IEnumerable<int> Offsets()
    {
        var index = _parts.Select(p => p.Start).ToArray();
        var strides = new int[Viewed.Rank];
        for (int d = Viewed.Rank - 1, s = 1; d >= 0; s *= Viewed[d], d--) strides[d] = s;
        while (true)
        {
            int offset = 0;
            for (int d = 0; d < index.Length; d++) offset += index[d] * strides[d];
            yield return offset;
            int k = index.Length - 1;
            while (k >= 0 && ++index[k] == _parts[k].End) { index[k] = _parts[k].Start; k--; }
            if (k < 0) yield break;
        }
    }

    /// <summary>clnet's header: data[0:2/2,0:8/4096].</summary>
    public string Header() =>
        "data[" + string.Join(",", _parts.Select((p, d) => p.Index ? $"{p.Start}/{Viewed[d]}" : $"{p.Start}:{p.End}/{Viewed[d]}")) + "]";
}

/// <summary>Values read from a tensor: what Get-ClNetTensor returns.</summary>
public sealed class TensorValues
{
    public string Name { get; }
    public TensorRole Role { get; }
    public Shape Shape { get; }
    public string Slice { get; }
    /// <summary>The values as a multi-dimensional array of the slice's shape (a scalar slice gives a one-element array).</summary>
    public Array Values { get; }

    public TensorValues(Tensor tensor, Slice slice, float[] all)
    {
        Name = tensor.Name;
        Role = tensor.Role;
        Shape = tensor.Shape;
        Slice = slice.Text;
        var dims = slice.ResultShape.Length == 0 ? new[] { 1 } : slice.ResultShape;
        Values = Array.CreateInstance(typeof(float), dims);
        var flat = slice.Offsets().Select(o => all[o]).ToArray();
        Buffer.BlockCopy(flat, 0, Values, 0, flat.Length * sizeof(float));
        Header = slice.Header();
    }

    private string Header { get; }

    /// <summary>Every value in row-major order.</summary>
    public float[] Flat()
    {
        var flat = new float[Values.Length];
        Buffer.BlockCopy(Values, 0, flat, 0, flat.Length * sizeof(float));
        return flat;
    }

    /// <summary>clnet's listing: the header, then one line per row of the last dimension.</summary>
    public string Listing
    {
        get
        {
            var sb = new StringBuilder($"{Header} for {Name}{Shape}: {Role}\n");
            var flat = Flat();
            int width = Values.Rank > 0 ? Values.GetLength(Values.Rank - 1) : 1;
            for (int row = 0; row * width < flat.Length; row++)
            {
                sb.Append(row).Append(": ");
                sb.AppendJoin(",", flat.Skip(row * width).Take(width).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
                sb.Append('\n');
            }
            return sb.ToString();
        }
    }

    public override string ToString() => Listing;
}
