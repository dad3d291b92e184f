using System.Text;
using System.Text.Json;

namespace ClNet.Engine;

/// <summary>
/// clnet's index file: the characters a character model knows, in order, so that a trained model
/// and its sampler agree on the alphabet. Characters are Unicode code points; the file is a JSON
/// array of strings (readable, and unambiguous for newlines and quotes).
/// </summary>
public sealed class CharacterIndex
{
    private readonly Dictionary<int, int> _codes = new();

    public IReadOnlyList<string> Characters { get; }
    public int Count => Characters.Count;

    private CharacterIndex(IReadOnlyList<string> characters)
    {
        Characters = characters;
        for (int i = 0; i < characters.Count; i++)
        {
            if (!Rune.TryGetRuneAt(characters[i], 0, out var rune) || rune.Utf16SequenceLength != characters[i].Length)
                throw new ClNetException("InvalidCharacterIndex", ClNetErrorKind.InvalidData, $"Entry {i} of the character index, '{characters[i]}', is not one character.", characters[i]);
            if (!_codes.TryAdd(rune.Value, i))
                throw new ClNetException("InvalidCharacterIndex", ClNetErrorKind.InvalidData, $"The character index lists '{characters[i]}' twice.", characters[i]);
        }
    }

    /// <summary>Every distinct character of a text, in code point order.</summary>
    public static CharacterIndex Build(string text) =>
        new(text.EnumerateRunes().Select(r => r.Value).Distinct().Order().Select(v => new Rune(v).ToString()).ToList());

    public static CharacterIndex FromJson(string json, string source)
    {
        try
        {
            var characters = JsonSerializer.Deserialize<List<string>>(json);
            if (characters is null || characters.Count == 0) throw new JsonException("no characters");
            return new CharacterIndex(characters);
        }
        catch (JsonException e)
        {
            throw new ClNetException("InvalidCharacterIndex", ClNetErrorKind.InvalidData, $"'{source}' is not a character index (a JSON array of characters): {e.Message}", source, e);
        }
    }

    public static CharacterIndex Load(string path)
    {
        if (!File.Exists(path))
            throw new ClNetException("IndexFileNotFound", ClNetErrorKind.ObjectNotFound, $"The character index '{path}' does not exist.", path);
        return FromJson(File.ReadAllText(path, Encoding.UTF8), path);
    }

    public string ToJson() => JsonSerializer.Serialize(Characters);

    public void Save(string path) => AtomicFile.Write(path, temporary => File.WriteAllText(temporary, ToJson(), new UTF8Encoding(false)));

    /// <summary>The codes of a text; a character the index lacks is an error that names it and where it is.</summary>
    public int[] Encode(string text, string source)
    {
        var codes = new List<int>(text.Length);
        int position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!_codes.TryGetValue(rune.Value, out int code))
                throw new ClNetException("CharacterNotInIndex", ClNetErrorKind.InvalidData,
                    $"{source} holds '{rune}' (U+{rune.Value:X4}) at character {position}, which the character index does not have.", rune.ToString());
            codes.Add(code);
            position++;
        }
        return codes.ToArray();
    }

    public string Decode(int code) => Characters[code];
}
