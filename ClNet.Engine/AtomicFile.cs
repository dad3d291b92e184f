namespace ClNet.Engine;

/// <summary>
/// Writes a file so that it is either the old file or the whole new one, never half of it: the
/// content goes to a temporary file beside the target, which is then renamed over it.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path to fill, then moves it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            throw new ClNetException("FolderNotFound", ClNetErrorKind.ObjectNotFound, $"Cannot write '{full}': the folder '{folder}' does not exist.", full);
        string temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
