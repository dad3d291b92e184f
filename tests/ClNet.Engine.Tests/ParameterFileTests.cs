using ClNet.Engine;
using Xunit;

public class ParameterFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-params-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Model Mlp(int hidden, int seed) =>
        ModelCatalog.Create("MLP", new ModelOptions(new Dictionary<string, object?> { ["Hidden"] = hidden }), seed);

    [Fact]
    public void SaveAndImportRoundTripTheModel()
    {
        var model = Mlp(32, 5);
        string path = Path.Combine(_folder, "mlp.clnetparams");
        ParameterFile.Save(model, path);
        Assert.Single(Directory.GetFiles(_folder));   // no temporary file left behind

        var imported = ParameterFile.Import(path);
        Assert.Equal("MLP", imported.Name);
        Assert.Equal("32", imported.Options.Text("Hidden"));
        foreach (var (name, _, _) in model.Parameters.Entries)
            Assert.Equal(model.Parameters.Values(name), imported.Parameters.Values(name));

        var other = Mlp(32, 6);
        ParameterFile.Load(other, path);
        Assert.Equal(model.Parameters.Values("l0_weight"), other.Parameters.Values("l0_weight"));
    }

    [Fact]
    public void ATruncatedFileIsRejectedAndChangesNothing()
    {
        string path = Path.Combine(_folder, "cut.clnetparams");
        ParameterFile.Save(Mlp(32, 5), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var target = Mlp(32, 9);
        var before = target.Parameters.Values("l0_weight");
        var e = Assert.Throws<ClNetException>(() => ParameterFile.Load(target, path));
        Assert.Equal("InvalidParameterFile", e.ErrorId);
        Assert.Contains(path, e.Message);
        Assert.Equal(before, target.Parameters.Values("l0_weight"));
    }

    [Fact]
    public void AMismatchedModelIsRejectedAndChangesNothing()
    {
        string path = Path.Combine(_folder, "small.clnetparams");
        ParameterFile.Save(Mlp(32, 5), path);
        var target = Mlp(64, 9);
        var before = target.Parameters.Values("l0_bias");
        var e = Assert.Throws<ClNetException>(() => ParameterFile.Load(target, path));
        Assert.Equal("ParameterShapeMismatch", e.ErrorId);
        Assert.Contains("[2,32]", e.Message);
        Assert.Contains("[2,64]", e.Message);
        Assert.Equal(before, target.Parameters.Values("l0_bias"));
    }

    [Fact]
    public void MissingAndForeignFilesGiveClearErrors()
    {
        var missing = Assert.Throws<ClNetException>(() => ParameterFile.Read(Path.Combine(_folder, "none.clnetparams")));
        Assert.Equal("ParameterFileNotFound", missing.ErrorId);
        string text = Path.Combine(_folder, "text.clnetparams");
        File.WriteAllText(text, "not parameters at all, just some text that is long enough to be read");
        Assert.Equal("InvalidParameterFile", Assert.Throws<ClNetException>(() => ParameterFile.Read(text)).ErrorId);
        var noFolder = Assert.Throws<ClNetException>(() => ParameterFile.Save(Mlp(8, 1), Path.Combine(_folder, "no", "such", "x.clnetparams")));
        Assert.Equal("FolderNotFound", noFolder.ErrorId);
    }
}
