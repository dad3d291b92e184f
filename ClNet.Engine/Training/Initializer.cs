namespace ClNet.Engine;

/// <summary>Fills a parameter tensor on the host before training; deterministic for a given random generator.</summary>
public abstract class Initializer
{
    public abstract void Fill(Span<float> values, Random random);
}

/// <summary>Normal distribution N(mu, sigma²), drawn with the Box-Muller transform.</summary>
public sealed class GaussianInitializer : Initializer
{
    public double Mu { get; }
    public double Sigma { get; }

    public GaussianInitializer(double mu, double sigma)
    {
        if (sigma < 0) throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must not be negative.");
        Mu = mu;
        Sigma = sigma;
    }

    public override void Fill(Span<float> values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();   // (0, 1]: log stays finite
            double u2 = random.NextDouble();
            values[i] = (float)(Mu + Sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }

    public override string ToString() => $"Gaussian(mu={Mu}, sigma={Sigma})";
}

public sealed class ConstantInitializer : Initializer
{
    public float Value { get; }

    public ConstantInitializer(float value) => Value = value;

    public override void Fill(Span<float> values, Random random) => values.Fill(Value);

    public override string ToString() => $"Constant({Value})";
}
