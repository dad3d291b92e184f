namespace ClNet.Engine;

/// <summary>Which family of matrix-product kernels a device runs.</summary>
public enum GemmVariant
{
    /// <summary>
    /// Register blocks of float16 vectors, no local memory (gemm.cl, packed.cl): what PoCL turns into
    /// wide FMA loops on a CPU.
    /// </summary>
    Registers,

    /// <summary>Work-groups staging tiles of A and B in local memory (tiled.cl): what GPUs want.</summary>
    Tiles,
}

/// <summary>
/// The table that picks the product kernels for a device: GPUs and accelerators get the tiled kernel,
/// CPUs the register-blocked ones. CLNET_GEMM=registers|tiles overrides it (to compare the two on one
/// device, or to check the tiled kernel on a machine without a GPU).
/// </summary>
public static class GemmVariants
{
    public const string EnvironmentVariable = "CLNET_GEMM";

    public static GemmVariant For(DeviceInfo device)
    {
        string? setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(setting))
        {
            if (Enum.TryParse<GemmVariant>(setting.Trim(), ignoreCase: true, out var chosen) && Enum.IsDefined(chosen)) return chosen;
            throw new ClNetException("InvalidGemmVariant", ClNetErrorKind.InvalidArgument,
                $"{EnvironmentVariable}='{setting}' is not a product kernel family: use one of {string.Join(", ", Enum.GetNames<GemmVariant>())}.", setting);
        }
        return device.Type is "GPU" or "Accelerator" ? GemmVariant.Tiles : GemmVariant.Registers;
    }
}
