using System.Text;
using Silk.NET.OpenCL;
using ClDeviceInfo = Silk.NET.OpenCL.DeviceInfo;

namespace ClNet.Engine;

/// <summary>Enumerates the OpenCL platforms and devices of this machine.</summary>
public static unsafe class DeviceCatalog
{
    private const int PlatformNotFound = -1001;

    public const string NoPlatformHelp =
        "No OpenCL platform was found. Install an OpenCL runtime: on Debian 'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' " +
        "gives the PoCL CPU device; GPU vendors ship their own ICD.";

    /// <summary>All devices of all platforms, numbered in platform order.</summary>
    public static IReadOnlyList<DeviceInfo> List()
    {
        var cl = OpenCl.Api;
        uint platformCount;
        int status = cl.GetPlatformIDs(0, null, &platformCount);
        if (status == PlatformNotFound || (status == 0 && platformCount == 0))
            throw new ClNetException("NoOpenClPlatform", ClNetErrorKind.NotInstalled, NoPlatformHelp);
        OpenCl.Check(status, "clGetPlatformIDs");
        var platforms = new nint[platformCount];
        fixed (nint* p = platforms) OpenCl.Check(cl.GetPlatformIDs(platformCount, p, null), "clGetPlatformIDs");

        var devices = new List<DeviceInfo>();
        for (int pi = 0; pi < platforms.Length; pi++)
        {
            uint deviceCount;
            if (cl.GetDeviceIDs(platforms[pi], DeviceType.All, 0, null, &deviceCount) != 0 || deviceCount == 0) continue;
            var handles = new nint[deviceCount];
            fixed (nint* d = handles) OpenCl.Check(cl.GetDeviceIDs(platforms[pi], DeviceType.All, deviceCount, d, null), "clGetDeviceIDs");
            string platformName = PlatformString(platforms[pi], PlatformInfo.Name);
            foreach (var h in handles)
            {
                devices.Add(new DeviceInfo(
                    devices.Count, pi, platformName,
                    DeviceString(h, ClDeviceInfo.Name).Trim(),
                    TypeName(DeviceValue<ulong>(h, ClDeviceInfo.Type)),
                    DeviceValue<uint>(h, ClDeviceInfo.MaxComputeUnits),
                    DeviceValue<ulong>(h, ClDeviceInfo.GlobalMemSize),
                    DeviceString(h, ClDeviceInfo.Version),
                    DeviceString(h, (ClDeviceInfo)0x102D /* CL_DRIVER_VERSION */),
                    DeviceString(h, ClDeviceInfo.Vendor))
                { PlatformHandle = platforms[pi], DeviceHandle = h });
            }
        }
        if (devices.Count == 0)
            throw new ClNetException("NoOpenClDevice", ClNetErrorKind.NotInstalled, "OpenCL platforms were found but none offers a device. " + NoPlatformHelp);
        return devices;
    }

    /// <summary>The device with this index, or an error that lists the devices there are.</summary>
    public static DeviceInfo Get(int index)
    {
        var all = List();
        if (index < 0 || index >= all.Count)
            throw new ClNetException("DeviceIndexOutOfRange", ClNetErrorKind.InvalidArgument,
                $"Device index {index} is out of range: this machine has {all.Count} OpenCL device(s): " +
                string.Join("; ", all.Select(d => d.ToString())) + ".", index);
        return all[index];
    }

    private static string TypeName(ulong type) =>
        (type & 4) != 0 ? "GPU" : (type & 2) != 0 ? "CPU" : (type & 8) != 0 ? "Accelerator" : "Other";

    private static string PlatformString(nint platform, PlatformInfo what) =>
        QueryString((size, value, sizeReturned) => OpenCl.Api.GetPlatformInfo(platform, what, size, value, sizeReturned), "clGetPlatformInfo");

    internal static string DeviceString(nint device, ClDeviceInfo what) =>
        QueryString((size, value, sizeReturned) => OpenCl.Api.GetDeviceInfo(device, what, size, value, sizeReturned), "clGetDeviceInfo");

    private delegate int InfoQuery(nuint size, void* value, nuint* sizeReturned);

    /// <summary>The two-call pattern of clGet*Info for strings: ask for the size, then for the bytes.</summary>
    private static string QueryString(InfoQuery query, string what)
    {
        nuint size;
        OpenCl.Check(query(0, null, &size), what);
        var buffer = new byte[(int)size];
        fixed (byte* b = buffer) OpenCl.Check(query(size, b, null), what);
        return Encoding.UTF8.GetString(buffer).TrimEnd('\0');
    }

    private static T DeviceValue<T>(nint device, ClDeviceInfo what) where T : unmanaged
    {
        T value = default;
        OpenCl.Check(OpenCl.Api.GetDeviceInfo(device, what, (nuint)sizeof(T), &value, null), "clGetDeviceInfo");
        return value;
    }
}
