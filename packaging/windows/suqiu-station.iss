; Inno Setup script for village/township PCs (Windows 7 SP1+ x64 needs Qt 6: Windows 10+).
; Build the PyInstaller folder first (packaging/suqiu-station.spec), then:
;   iscc packaging\windows\suqiu-station.iss
; Data lives in %LOCALAPPDATA%\suqiu (platformdirs) and is never touched by (un)install.
[Setup]
AppId={{6F1D7C3E-2B7A-4E1B-9A53-5C7D1E0B8A21}
AppName=诉求通 Suqiu
AppVersion=0.1.0
AppPublisher=Suqiu
DefaultDirName={autopf}\Suqiu
DefaultGroupName=诉求通
OutputBaseFilename=suqiu-station-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\suqiu-station\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\诉求通"; Filename: "{app}\suqiu-station.exe"
Name: "{autodesktop}\诉求通"; Filename: "{app}\suqiu-station.exe"

[Run]
; refuse to finish installing a build that cannot open its own window
Filename: "{app}\suqiu-station.exe"; Parameters: "selftest"; Flags: runhidden waituntilterminated; StatusMsg: "正在自检…"
Filename: "{app}\suqiu-station.exe"; Description: "启动诉求通"; Flags: nowait postinstall skipifsilent
