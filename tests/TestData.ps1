# Small data sets in the real file formats for the Pester tests: class k is a bright 8x8 block at a
# position that depends on k, over dark noise (the xunit tests' TestData.cs makes the same kind).

function New-TestPicture([int] $Class, [int] $Side = 28, [int] $Channels = 1, [Random] $Random = [Random]::new($Class)) {
    $pixels = [byte[]]::new($Side * $Side * $Channels)
    $top = 2 + [math]::Floor($Class / 5) * 12
    $left = 2 + ($Class % 5) * 4
    for ($y = 0; $y -lt $Side; $y++) {
        for ($x = 0; $x -lt $Side; $x++) {
            $block = $y -ge $top -and $y -lt $top + 8 -and $x -ge $left -and $x -lt $left + 8
            for ($c = 0; $c -lt $Channels; $c++) {
                $pixels[(($y * $Side) + $x) * $Channels + $c] = if ($block) { 200 + $Random.Next(56) } else { $Random.Next(60) }
            }
        }
    }
    [ClNet.Engine.Picture]::new($Side, $Side, $Channels, $pixels)
}

function New-TestMnist([string] $Folder, [int] $Train = 320, [int] $Test = 100, [int] $Seed = 1) {
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $random = [Random]::new($Seed)
    foreach ($set in @(@{ Prefix = 'train'; Count = $Train }, @{ Prefix = 't10k'; Count = $Test })) {
        $images = [byte[]]::new($set.Count * 784)
        $labels = [byte[]]::new($set.Count)
        for ($i = 0; $i -lt $set.Count; $i++) {
            $labels[$i] = $random.Next(10)
            [Array]::Copy((New-TestPicture $labels[$i] -Random $random).Pixels, 0, $images, $i * 784, 784)
        }
        [ClNet.Engine.MnistIdx]::Write((Join-Path $Folder "$($set.Prefix)-images-idx3-ubyte"), $images, [int[]]($set.Count, 28, 28))
        [ClNet.Engine.MnistIdx]::Write((Join-Path $Folder "$($set.Prefix)-labels-idx1-ubyte"), $labels, [int[]]($set.Count))
    }
    $Folder
}
