@echo off
rem Starts crossinspect's local web page (crossinspect serve opens the browser itself).
rem Stored in GBK with CRLF line endings, for the reasons given in the install script.
setlocal
cd /d "%~dp0"
title crossinspect
set "EXE=%~dp0crossinspect-env\Scripts\crossinspect.exe"
if not exist "%EXE%" goto not_installed

echo 正在启动 crossinspect，浏览器会自动打开编组页面。
echo 使用期间请不要关闭本窗口；用完后关闭本窗口即可退出。
echo.
"%EXE%" serve
if errorlevel 1 goto stopped
exit /b 0

:stopped
echo.
echo crossinspect 已停止。如果不是您自己关闭的，请把本窗口截图发给信息技术人员。
echo.
pause
exit /b 1

:not_installed
echo 还没有安装 crossinspect。请先双击本文件夹中的「安装.bat」。
echo.
pause
exit /b 1
