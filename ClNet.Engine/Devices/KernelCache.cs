namespace ClNet.Engine;

/// <summary>
/// Where compiled program binaries are kept between processes. The first build of the kernels costs
/// about a second on PoCL; a cached binary loads in milliseconds. The environment variable
/// CLNET_KERNEL_CACHE moves the cache (a folder) or disables it ("off").
/// </summary>
public sealed class KernelCache
{
    public const string EnvironmentVariable = "CLNET_KERNEL_CACHE";

    /// <summary>The folder, or null when caching is disabled.</summary>
    public string? Directory { get; }

    public KernelCache(string? directory) => Directory = directory;

    public static KernelCache Disabled { get; } = new(null);

    public static KernelCache FromEnvironment()
    {
        string? setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (setting is not null && setting.Trim().ToLowerInvariant() is "off" or "0" or "none" or "false")
            return Disabled;
        if (!string.IsNullOrWhiteSpace(setting)) return new KernelCache(setting);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new KernelCache(Path.Combine(root, "clnet", "kernels"));
    }

    /// <summary>The cache key: everything that changes the compiled binary.</summary>
    public static string Key(DeviceInfo device, string source, string options) =>
        KernelSources.Hash(string.Join("\n", device.Platform, device.Name, device.DriverVersion, device.OpenClVersion, options, source));

    public byte[]? TryLoad(string key)
    {
        if (Directory is null) return null;
        string path = PathFor(key);
        try { return File.Exists(path) ? File.ReadAllBytes(path) : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Writes atomically (temporary file, then rename); a cache that cannot be written is skipped, not fatal.</summary>
    public void Store(string key, byte[] binary)
    {
        if (Directory is null || binary.Length == 0) return;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            AtomicFile.Write(PathFor(key), temporary => File.WriteAllBytes(temporary, binary));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Forget(string key)
    {
        if (Directory is null) return;
        try { File.Delete(PathFor(key)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string PathFor(string key) => Path.Combine(Directory!, key[..32] + ".bin");
}
