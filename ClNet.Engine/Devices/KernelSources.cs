using System.Security.Cryptography;
using System.Text;

namespace ClNet.Engine;

/// <summary>
/// The OpenCL C sources of kernels/*.cl, either embedded in the engine or read from a folder (for a
/// live reload). All files form one program; common.cl comes first because the others use its helpers.
/// </summary>
public sealed class KernelSources
{
    private const string ResourcePrefix = "ClNet.kernels.";

    public IReadOnlyList<(string File, string Text)> Files { get; }
    public string Origin { get; }

    private KernelSources(IEnumerable<(string File, string Text)> files, string origin)
    {
        Files = files.OrderBy(f => f.File == "common.cl" ? 0 : 1).ThenBy(f => f.File, StringComparer.Ordinal).ToList();
        Origin = origin;
    }

    public static KernelSources Embedded()
    {
        var assembly = typeof(KernelSources).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".cl", StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[ResourcePrefix.Length..], reader.ReadToEnd());
            });
        return new KernelSources(files, "embedded");
    }

    public static KernelSources FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new ClNetException("KernelFolderNotFound", ClNetErrorKind.ObjectNotFound, $"The kernel folder '{directory}' does not exist.", directory);
        var paths = Directory.GetFiles(directory, "*.cl");
        if (paths.Length == 0)
            throw new ClNetException("KernelFolderEmpty", ClNetErrorKind.ObjectNotFound, $"The kernel folder '{directory}' holds no .cl files.", directory);
        return new KernelSources(paths.Select(p => (Path.GetFileName(p), File.ReadAllText(p))), directory);
    }

    /// <summary>One translation unit; #line keeps compiler messages pointing at the right file and line.</summary>
    public string Combined()
    {
        var sb = new StringBuilder();
        foreach (var (file, text) in Files)
            sb.Append("#line 1 \"").Append(file).Append("\"\n").Append(text).Append('\n');
        return sb.ToString();
    }

    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
