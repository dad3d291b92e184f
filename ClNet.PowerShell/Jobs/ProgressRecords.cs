using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>The progress bar line for a training record, shared by background jobs and -Wait.</summary>
internal static class ProgressRecords
{
    public const int ActivityId = 1;

    public static string Activity(Session s) => $"Training {s.Model.Name} on {string.Join(", ", s.Devices.Select(d => d.Name))}";

    public static string Status(TrainingProgress p, Session s) =>
        $"epoch {p.Epoch}/{s.Epochs}, step {p.Step}, loss {p.Loss:G4}, {p.SamplesPerSecond:N0} samples/s";

    public static ProgressRecord For(TrainingProgress p, Session s) =>
        new(ActivityId, Activity(s), Status(p, s)) { PercentComplete = (int)Math.Round(p.PercentComplete), RecordType = ProgressRecordType.Processing };

    public static ProgressRecord Completed(Session s) =>
        new(ActivityId, Activity(s), s.State.ToString()) { PercentComplete = 100, RecordType = ProgressRecordType.Completed };
}
