using System.Runtime.InteropServices;

namespace ClNet.Engine;

/// <summary>
/// This process's place in an MPI job (Open MPI through P/Invoke): its rank, the number of ranks,
/// and a sum across all of them. MPI is initialised once per process, on first use, and finalised
/// when the process exits: it is the process's own state, whatever ClNet does.
/// </summary>
public sealed unsafe class MpiWorld
{
    private const string Library = "libmpi.so.40";   // Debian's libopenmpi3 (openmpi-bin, libopenmpi-dev)
    private static readonly object Gate = new();
    private static MpiWorld? _world;

    private readonly nint _communicator, _float, _sum;

    public int Rank { get; }
    public int Size { get; }

    private MpiWorld(nint library)
    {
        // Open MPI's MPI_COMM_WORLD, MPI_FLOAT and MPI_SUM are the addresses of these objects
        _communicator = NativeLibrary.GetExport(library, "ompi_mpi_comm_world");
        _float = NativeLibrary.GetExport(library, "ompi_mpi_float");
        _sum = NativeLibrary.GetExport(library, "ompi_mpi_op_sum");
        int initialised;
        Check(MPI_Initialized(&initialised), "MPI_Initialized");
        if (initialised == 0) Check(MPI_Init(null, null), "MPI_Init");
        int rank, size;
        Check(MPI_Comm_rank(_communicator, &rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(_communicator, &size), "MPI_Comm_size");
        (Rank, Size) = (rank, size);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => MPI_Finalize();
    }

    /// <summary>The MPI job of this process; an error that names the packages when Open MPI is missing.</summary>
    public static MpiWorld Open()
    {
        lock (Gate)
        {
            if (_world is not null) return _world;
            if (!NativeLibrary.TryLoad(Library, typeof(MpiWorld).Assembly, null, out nint library))
                throw new ClNetException("MpiNotInstalled", ClNetErrorKind.NotInstalled,
                    "Distributed training needs Open MPI: install it (Debian: apt-get install openmpi-bin libopenmpi-dev) and start the training under mpirun.", Library);
            return _world = new MpiWorld(library);
        }
    }

    /// <summary>Replaces every element with its sum over all ranks.</summary>
    public void SumInPlace(float[] values)
    {
        if (Size == 1 || values.Length == 0) return;
        fixed (float* p = values)
            Check(MPI_Allreduce((void*)1 /* Open MPI's MPI_IN_PLACE */, p, values.Length, _float, _sum, _communicator), "MPI_Allreduce");
    }

    private static void Check(int status, string what)
    {
        if (status != 0) throw new ClNetException("MpiError", ClNetErrorKind.DeviceError, $"{what} failed with MPI error {status}.", what);
    }

    [DllImport(Library)] private static extern int MPI_Init(int* argc, byte*** argv);
    [DllImport(Library)] private static extern int MPI_Initialized(int* flag);
    [DllImport(Library)] private static extern int MPI_Finalize();
    [DllImport(Library)] private static extern int MPI_Comm_rank(nint communicator, int* rank);
    [DllImport(Library)] private static extern int MPI_Comm_size(nint communicator, int* size);
    [DllImport(Library)] private static extern int MPI_Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint communicator);
}
