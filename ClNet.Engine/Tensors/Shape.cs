namespace ClNet.Engine;

/// <summary>An immutable list of dimensions, printed as clnet prints them: [128,2].</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        if (dims.Length == 0) throw new ArgumentException("A shape needs at least one dimension.", nameof(dims));
        foreach (int d in dims)
            if (d <= 0) throw new ArgumentException($"Dimension {d} in [{string.Join(",", dims)}] must be positive.", nameof(dims));
        _dims = (int[])dims.Clone();
    }

    public int Rank => _dims.Length;
    public int this[int axis] => _dims[axis < 0 ? _dims.Length + axis : axis];
    public IReadOnlyList<int> Dimensions => _dims;

    public int Volume
    {
        get
        {
            long v = 1;
            foreach (int d in _dims) v *= d;
            return checked((int)v);
        }
    }

    /// <summary>The product of all dimensions but the last: the rows of the matrix view.</summary>
    public int Rows => Volume / _dims[^1];
    public int Columns => _dims[^1];

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode() => _dims.Aggregate(17, (h, d) => h * 31 + d);
    public override string ToString() => "[" + string.Join(",", _dims) + "]";

    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);
}
