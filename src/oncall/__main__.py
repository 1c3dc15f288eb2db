from oncall.cli.entry import main

main()
